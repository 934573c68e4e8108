-- Each workstation's local audit chain, as far as the central chain holds it (docs/sync.md "Audit"): the
-- last local entry shipped (its seq and hash). A workstation's next batch must extend exactly that entry; a
-- batch that does not (the local log was truncated, wiped or rewritten after it shipped) is a chain break,
-- recorded here and as an entry of its own in the central chain, so the auditor sees it.
CREATE TABLE workstation_audit (
  workstation text        PRIMARY KEY,
  last_seq    bigint      NOT NULL,
  last_hash   text        NOT NULL,
  entries     bigint      NOT NULL DEFAULT 0,
  breaks      integer     NOT NULL DEFAULT 0,
  last_break  jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
