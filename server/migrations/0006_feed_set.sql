-- A feed state's person sets stored once, by the hash of their content (server/engine/feed.ts): every page
-- of a municipality-wide clerk's feed read and wrote the same list of withheld persons (2 791 ids, 218 KB
-- per page at 100 000 persons, measured by test/bench/sync.ts). A subscriber's state now names its sets;
-- equal sets are one row, whoever holds them. Sets no subscriber names any more are removed by the engine
-- after an hour.
CREATE TABLE feed_set (
  ref        text        PRIMARY KEY,
  ids        jsonb       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
