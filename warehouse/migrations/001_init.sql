-- 001: the warehouse contract. Later migrations add columns and tables; they never rename these.
CREATE TABLE articles (
    article_id     VARCHAR PRIMARY KEY,   -- sha1 of the canonical URL, 16 hex digits
    url            VARCHAR NOT NULL,      -- page URL; a local file's absolute file:// URI
    title          VARCHAR,
    published_at   VARCHAR,               -- the article's own date/time as ISO 8601 (page's own, never the run's)
    source         VARCHAR,               -- publisher, where the page names it
    author         VARCHAR,
    text           VARCHAR NOT NULL,      -- cleaned main text, paragraphs separated by '\n', target script
    source_script  VARCHAR,               -- hans | hant | mixed
    content_hash   VARCHAR NOT NULL,      -- sha1 of the normalised text (Simplified, NFKC, letters and digits only)
    duplicate_of   VARCHAR,               -- article_id of the article this one repeats; NULL when kept
    run_id         VARCHAR,
    ingested_at    TIMESTAMPTZ,
    encoding       VARCHAR,               -- codec the page was decoded with
    input_hash     VARCHAR,               -- sha1 of the input's bytes: re-runs skip unchanged inputs
    chars          INTEGER                -- length of text
);

CREATE TABLE rejections (
    url         VARCHAR PRIMARY KEY,      -- one row per input that yields no article
    stage       VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    run_id      VARCHAR,
    "at"        TIMESTAMPTZ,
    input_hash  VARCHAR
);

CREATE TABLE runs (
    run_id       VARCHAR PRIMARY KEY,
    flow         VARCHAR,
    started_at   TIMESTAMPTZ,
    ended_at     TIMESTAMPTZ,
    status       VARCHAR,                 -- running | completed | failed
    inputs       INTEGER,
    articles     INTEGER,                 -- article rows written (kept and duplicates)
    duplicates   INTEGER,
    rejections   INTEGER,
    unchanged    INTEGER                  -- inputs skipped because an earlier run finished them
);

CREATE VIEW unique_articles AS SELECT * FROM articles WHERE duplicate_of IS NULL;
