-- 008: the counters of a run (issue 17), written when the run ends, one row per stage and
-- one per cleaning rule that removed anything. A run killed before its end leaves none.
CREATE TABLE IF NOT EXISTS stage_counts (
    run_id    VARCHAR NOT NULL,
    stage     VARCHAR NOT NULL,  -- read, fetch, decode, extract, clean, normalise, dedup, load
    batches   INTEGER NOT NULL,  -- batches the stage ran on
    pages_in  INTEGER NOT NULL,  -- pages handed to it
    pages_out INTEGER NOT NULL,  -- pages it handed on (load: article rows written)
    rejected  INTEGER NOT NULL,  -- pages it rejected (rejection rows)
    seconds   DOUBLE  NOT NULL,  -- wall time of its task calls
    PRIMARY KEY (run_id, stage)
);
CREATE TABLE IF NOT EXISTS rule_hits (
    run_id VARCHAR NOT NULL,
    rule   VARCHAR NOT NULL,  -- the cleaning rule's name (tasks/cleaning/order.py)
    chars  BIGINT  NOT NULL,  -- characters it removed from the run's cleaned pages
    pages  INTEGER NOT NULL,  -- pages it removed any characters from
    PRIMARY KEY (run_id, rule)
);
