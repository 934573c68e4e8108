-- The replica's own bookkeeping that must outlive it (server/engine/bookkeeping.ts): the population-register
-- imports' runs (their history, counts and states) and each delivery stream's last applied file, which
-- refuses a delta that comes out of order. They are not register records (no feed carries them); they are
-- written in the same transaction as the import's work and put back when the replica is rebuilt.
CREATE TABLE replica_row (
  tbl  text  NOT NULL,
  id   text  NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (tbl, id)
);
