-- The content of documents held about persons (issue 13; docs/foi.md "Documents"), by SHA-256: written once
-- with the document that first names it (in the same transaction as its record), never changed, put back
-- into the replica when it is rebuilt. It is never in the feed: a workstation asks the server to open a
-- document, and the server's core checks the user's grants for the person first (document.open).
CREATE TABLE document_content (
  sha256     text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  mime       text        NOT NULL CHECK (mime IN ('application/pdf', 'image/png', 'image/jpeg')),
  size       integer     NOT NULL CHECK (size > 0),
  bytes      bytea       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
