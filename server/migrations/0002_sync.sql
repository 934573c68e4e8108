-- The sync store (docs/sync.md). PostgreSQL is the system of record: every record as stored by the core,
-- the change records, the mutations with their answers, the aggregates' versions, the settings and the
-- central audit chain. The server's SQLite execution replica is rebuilt from these tables.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- One sequence orders everything a client can see change: record seqs, change seqs, setting seqs. The feed's
-- cursor is a value of it.
CREATE SEQUENCE sync_seq AS bigint;

-- Records are stored generically (the core's row as JSON), so a client migration that adds a column needs no
-- server migration. `seq` is the sequence value of the record's last change. `data` is NULL when the
-- record no longer exists (a correction removed a mistaken row): the feed then sends a removal.
CREATE TABLE record (
  entity     text    NOT NULL,
  id         text    NOT NULL,
  version    integer NOT NULL,
  aggregate  text    NOT NULL,
  person_id  text,
  data       jsonb,
  seq        bigint  NOT NULL,
  PRIMARY KEY (entity, id)
);
CREATE INDEX record_seq ON record (seq);
CREATE INDEX record_aggregate ON record (aggregate);
CREATE INDEX record_person ON record (person_id) WHERE person_id IS NOT NULL;

-- The core's change records (history, "who changed what"), as written by its one write path.
CREATE TABLE change (
  seq               bigint PRIMARY KEY,
  mutation_id       text,
  entity            text    NOT NULL,
  entity_id         text    NOT NULL,
  version           integer NOT NULL,
  op                text    NOT NULL,
  person_id         text,
  related_person_id text,
  fields            jsonb   NOT NULL,
  changes           jsonb,
  actor             text    NOT NULL,
  at                text    NOT NULL
);
CREATE INDEX change_mutation ON change (mutation_id) WHERE mutation_id IS NOT NULL;
CREATE INDEX change_person ON change (person_id, seq) WHERE person_id IS NOT NULL;

-- Conflict detection: the last change of each aggregate (its seq and the mutation that made it).
CREATE TABLE aggregate (
  key         text   PRIMARY KEY,
  seq         bigint NOT NULL,
  mutation_id text
);

-- Every mutation a workstation pushed, with its answer: a replay returns it.
CREATE TABLE mutation (
  id          text        PRIMARY KEY,
  actor_id    text        NOT NULL,
  method      text        NOT NULL,
  workstation text        NOT NULL,
  status      text        NOT NULL CHECK (status IN ('applied', 'rejected', 'conflict')),
  result      jsonb,
  error       jsonb,
  seq         bigint,
  at          timestamptz NOT NULL DEFAULT now()
);

-- Municipal settings (app_meta keys of the core that travel: placement rules, idle-lock policy).
CREATE TABLE setting (
  key   text   PRIMARY KEY,
  value text   NOT NULL,
  seq   bigint NOT NULL
);

-- The central audit chain: the same entry format and hash as the core's local chain (core/audit/chain.ts),
-- chained here by the server.
CREATE TABLE audit_entry (
  seq         bigint PRIMARY KEY,
  at          text   NOT NULL,
  actor_id    text   NOT NULL,
  actor_name  text   NOT NULL,
  workstation text   NOT NULL,
  method      text   NOT NULL,
  action      text   NOT NULL,
  outcome     text   NOT NULL,
  person_ids  jsonb  NOT NULL,
  details     jsonb,
  reason      text,
  prev_hash   text   NOT NULL,
  hash        text   NOT NULL,
  -- Where the entry was written (the server replica's id and seq, or a workstation's id and local seq):
  -- shipping it twice after a crash is then a no-op.
  origin      text   NOT NULL UNIQUE
);
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only';
END $$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();

-- Invariants two workstations could break between them, as constraints of the database itself: the engine
-- has already checked them with the core's rules; these make a race impossible even so.
-- A child holds at most one live placement per family of care at a time (preschool, after-school).
CREATE TABLE inv_placement (
  id       text      PRIMARY KEY,
  child_id text      NOT NULL,
  family   text      NOT NULL,
  span     daterange NOT NULL,
  CONSTRAINT placement_overlap EXCLUDE USING gist (child_id WITH =, family WITH =, span WITH &&)
);
-- A pupil has one enrolment per period.
CREATE TABLE inv_enrolment (
  id       text      PRIMARY KEY,
  pupil_id text      NOT NULL,
  span     daterange NOT NULL,
  CONSTRAINT enrolment_overlap EXCLUDE USING gist (pupil_id WITH =, span WITH &&)
);
-- An identity number (or reserve number) belongs to one living record.
CREATE TABLE inv_identity (
  person_id text PRIMARY KEY,
  number    text NOT NULL,
  CONSTRAINT identity_unique UNIQUE (number)
);
