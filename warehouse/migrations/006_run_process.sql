-- The process that runs each flow run, recorded when it starts: a row left `running` whose
-- process is gone (same host; the pid no longer alive, or reused by a later process) is
-- reconciled to `crashed` when the next run starts. Statuses: running | completed | failed
-- | cancelled | crashed.
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN host VARCHAR;
ALTER TABLE runs ADD COLUMN process_started_at TIMESTAMPTZ;
