-- Where imported news came from, so that it is recognised when it comes again.
--
-- source_items: one row per item of a feed or agency format (an RSS guid, an Atom id, a ninjs uri, a
-- NewsML-G2 guid, a web page's URL), with the article it became. The same item seen again, even with
-- other words or another headline, becomes the next version of that article. `content_hash` is the
-- hash of the item's words as last imported: an item whose hash is unchanged is skipped unread.
--
-- source_states: what `chancery watch` remembers about each source it polls (a URL, or a file of a
-- drop folder) between polls and across restarts: the validators for conditional GETs, the hash of
-- the last body read, and the errors that make it back off.

CREATE TABLE source_items (
  item_id text PRIMARY KEY CHECK (length(item_id) BETWEEN 1 AND 2000),
  article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  format text NOT NULL,
  source text NOT NULL,
  content_hash text NOT NULL,
  place text,
  published_at timestamptz,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX source_items_article_idx ON source_items (article_id);

CREATE TABLE source_states (
  source text PRIMARY KEY CHECK (length(source) BETWEEN 1 AND 4000),
  etag text,
  last_modified text,
  body_hash text,
  failures integer NOT NULL DEFAULT 0,
  last_error text,
  checked_at timestamptz,
  next_check_at timestamptz
);

CREATE TRIGGER source_items_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON source_items
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER source_states_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON source_states
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
