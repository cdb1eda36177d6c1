-- 004: tables the loader appends to fast (issue 6). Same columns, same rows; the tables are
-- rebuilt because DuckDB can change neither a column's compression nor a table's keys in
-- place. The loader keeps the keys itself: one writer, in one transaction per batch, inserts
-- only ids (paragraphs) not stored yet and deletes a stored id's rows before writing it again.

-- Sketch rows only for stored articles: an article that became a rejection kept its
-- sketches until now; the loader deletes them with it from now on.
DELETE FROM dedup_signatures WHERE article_id NOT IN (SELECT article_id FROM articles);
DELETE FROM dedup_bands WHERE article_id NOT IN (SELECT article_id FROM articles);
DELETE FROM dedup_lines WHERE article_id NOT IN (SELECT article_id FROM articles);

-- articles: text compressed with zstd. DuckDB's default for long strings (dictionary + FSST)
-- spends ~2x the CPU for a ~1.7x larger file on Chinese text. article_id stays the key.
-- The views of 001 and 003 stay: DuckDB binds a view when it is queried, so they read the
-- rebuilt table.
CREATE TABLE articles_004 (
    article_id     VARCHAR PRIMARY KEY,
    url            VARCHAR NOT NULL,
    title          VARCHAR,
    published_at   VARCHAR,
    source         VARCHAR,
    author         VARCHAR,
    text           VARCHAR NOT NULL USING COMPRESSION zstd,
    source_script  VARCHAR,
    content_hash   VARCHAR NOT NULL,
    duplicate_of   VARCHAR,
    run_id         VARCHAR,
    ingested_at    TIMESTAMPTZ,
    encoding       VARCHAR,
    input_hash     VARCHAR,
    chars          INTEGER,
    canonical_url  VARCHAR,
    updated_at     TIMESTAMPTZ
);
INSERT INTO articles_004 SELECT * FROM articles;
DROP TABLE articles;
ALTER TABLE articles_004 RENAME TO articles;

-- dedup_signatures and dedup_site_lines: no index to maintain on every insert (nothing
-- looks them up by key: reads join them in bulk).
CREATE TABLE dedup_signatures_004 (
    article_id  VARCHAR NOT NULL,
    signature   BLOB NOT NULL
);
INSERT INTO dedup_signatures_004 SELECT * FROM dedup_signatures;
DROP TABLE dedup_signatures;
ALTER TABLE dedup_signatures_004 RENAME TO dedup_signatures;

CREATE TABLE dedup_site_lines_004 (
    site          VARCHAR NOT NULL,
    line_hash     BIGINT NOT NULL,
    article_id    VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    template      BOOLEAN NOT NULL
);
INSERT INTO dedup_site_lines_004 SELECT * FROM dedup_site_lines;
DROP TABLE dedup_site_lines;
ALTER TABLE dedup_site_lines_004 RENAME TO dedup_site_lines;
