-- The server's own facts about this database. `epoch` is made once per database: a workstation that finds a
-- different epoch (a server restored from an older backup, a new database) drops its cached register and
-- takes a fresh snapshot (docs/sync.md, "Server epoch"). `schema` is the number of the last applied
-- migration, kept by the runner (server/db/migrate.ts) in each migration's transaction.
CREATE TABLE server_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

INSERT INTO server_meta (key, value) VALUES ('epoch', gen_random_uuid()::text), ('schema', '1');
