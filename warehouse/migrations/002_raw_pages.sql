-- 002: raw_pages, the bytes as fetched over HTTP or taken from a WARC record, so that
-- `zhnews reprocess` re-runs the pipeline without fetching and a re-fetch is conditional.
CREATE TABLE raw_pages (
    url            VARCHAR PRIMARY KEY,   -- the URL as requested (a WARC record's target URI)
    final_url      VARCHAR,               -- after redirects
    status         INTEGER,               -- HTTP status of the final response
    headers        JSON,                  -- the final response's headers, names lower-cased
    fetched_at     TIMESTAMPTZ,           -- when this body was fetched (WARC-Date for archives)
    checked_at     TIMESTAMPTZ,           -- last time it was found unchanged (a 304 or the same bytes)
    encoding       VARCHAR,               -- codec the decode stage used
    etag           VARCHAR,               -- validators sent back on a re-fetch
    last_modified  VARCHAR,
    content_type   VARCHAR,
    body           BLOB,                  -- gzip-compressed body
    body_bytes     BIGINT,                -- uncompressed length
    input_hash     VARCHAR,               -- sha1 of the uncompressed body, as articles.input_hash
    origin         VARCHAR,               -- http | warc
    run_id         VARCHAR
);
