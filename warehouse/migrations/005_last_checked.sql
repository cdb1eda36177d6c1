-- 005: a stored article outlives a failure to check it again (issue 14). A transient failure
-- (5xx, 429, timeout, connection error, robots.txt unavailable, extractor timeout or crash)
-- on its input leaves the article as it is and is recorded here; only a definite answer
-- (404/410 from its URL, its file gone, the page now not an article) retires it.
ALTER TABLE articles ADD COLUMN last_error VARCHAR;          -- the latest failure to check it again, "stage: reason"
ALTER TABLE articles ADD COLUMN last_checked_at TIMESTAMPTZ; -- when that failure happened; both NULL once the input succeeds again or a re-fetch finds it unchanged
