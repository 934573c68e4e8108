-- Each feed page reads the aggregates changed in its range of seqs (server/engine/feed.ts); without an
-- index that was a scan of every aggregate per page (19 ms at 100 000 persons, measured by test/bench/sync.ts).
CREATE INDEX aggregate_seq ON aggregate (seq);
