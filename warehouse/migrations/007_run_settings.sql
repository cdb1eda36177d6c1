-- 007: what each run ran with (issue 18), so nobody has to guess: its settings with the
-- defaults it took (paths absolute), its inputs, the working directory, and the zhnews,
-- Prefect and Python versions, as one JSON object
-- (e.g. `SELECT run_id, settings->>'script' FROM runs`).
ALTER TABLE runs ADD COLUMN settings JSON;
