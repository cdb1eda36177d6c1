-- 003: what deduplication stores so each run finds duplicates of earlier runs' articles
-- without reading their texts back, and the cluster view.
ALTER TABLE articles ADD COLUMN canonical_url VARCHAR;   -- URL without tracking parameters or fragment; article_id derives from it
ALTER TABLE articles ADD COLUMN updated_at TIMESTAMPTZ;  -- set when the same canonical URL came again with changed text

-- MinHash signature of each article's normalised Simplified text (character 5-grams).
CREATE TABLE dedup_signatures (
    article_id  VARCHAR PRIMARY KEY,
    signature   BLOB NOT NULL              -- num_perm uint32 slots, little-endian
);

-- LSH: one row per article and band; articles sharing any (band, band_hash) are candidates.
CREATE TABLE dedup_bands (
    band        SMALLINT NOT NULL,
    band_hash   BIGINT NOT NULL,
    article_id  VARCHAR NOT NULL
);

-- Paragraph hashes per site: a paragraph the site also printed on another story is its
-- template (header, footer, notice) and is left out of the shingles.
CREATE TABLE dedup_lines (
    site          VARCHAR NOT NULL,
    line_hash     BIGINT NOT NULL,
    article_id    VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    template      BOOLEAN NOT NULL           -- left out of this article's signature
);

-- One row per site paragraph: the first article seen with it; template once an article
-- with other content (another story) of the same site has it too.
CREATE TABLE dedup_site_lines (
    site          VARCHAR NOT NULL,
    line_hash     BIGINT NOT NULL,
    article_id    VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    template      BOOLEAN NOT NULL,
    PRIMARY KEY (site, line_hash)
);

-- The banding the stored band hashes were computed with (bands x rows x num_perm).
CREATE TABLE dedup_config (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);

-- One row per cluster of two or more: the kept article, how many articles the story has,
-- and all of them (kept one first, then by published date).
CREATE VIEW duplicate_clusters AS
SELECT coalesce(duplicate_of, article_id) AS article_id,
       count(*) AS size,
       list(article_id ORDER BY duplicate_of IS NOT NULL, published_at NULLS LAST, article_id) AS members
FROM articles
GROUP BY 1
HAVING count(*) > 1;
