-- 009: keyed band lookups (issue 19). Dedup keeps the stored band hashes in memory, sorted
-- (tasks/dedup_index.py BandIndex), and reads only the rows written since it last looked:
-- each batch's band rows carry one number from dedup_band_seq, so `seq > last read` is a
-- range that zonemaps prune to the newest row groups. Rows stored before this migration
-- are numbered below 0, one number per 320,000 rows (10,000 articles of 32 bands): the
-- first read takes them in slices of bounded size.
CREATE SEQUENCE dedup_band_seq START WITH 1;
CREATE TABLE dedup_bands_009 (
    band        SMALLINT NOT NULL,
    band_hash   BIGINT NOT NULL,
    article_id  VARCHAR NOT NULL,
    seq         BIGINT NOT NULL          -- the batch that wrote it: increasing in insertion order
);
INSERT INTO dedup_bands_009
SELECT band, band_hash, article_id,
       (row_number() OVER () - 1) // 320000 - (SELECT count(*) FROM dedup_bands) // 320000 - 1
FROM dedup_bands;
DROP TABLE dedup_bands;
ALTER TABLE dedup_bands_009 RENAME TO dedup_bands;
-- This warehouse's id: a process keeps its band index per warehouse, and another file at
-- the same path (deleted and made again) is another warehouse.
INSERT OR REPLACE INTO dedup_config VALUES ('index_id', uuid()::VARCHAR);
