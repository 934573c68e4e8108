-- The feed's memory of what each workstation cache holds (docs/sync.md "Reads: the feed"): the projection
-- (persons in scope, care scope, persons whose addresses are withheld) as of the cursor the cache last
-- acknowledged, and the one sent with the latest page. A pull from the latest page's cursor acknowledges it;
-- a pull from the older cursor (the page was not applied) is answered against the older state again. The
-- difference between the state a cache holds and the user's current projection is what the feed adds and
-- removes when a scope changes.
CREATE TABLE feed_subscriber (
  id         text        PRIMARY KEY,
  user_id    text        NOT NULL,
  acked      jsonb,
  pending    jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feed_subscriber_user ON feed_subscriber (user_id);
