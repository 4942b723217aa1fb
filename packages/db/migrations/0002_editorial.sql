-- Editorial writes: API tokens, the revision history of every node, merged actors.
-- Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18).

-- Who may call the API. Only a SHA-256 hash of a token is stored; the token itself is shown once.
-- A name stays unique among active tokens, so `chancery token revoke NAME` is unambiguous and a
-- revoked name can be reused.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  role text NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE UNIQUE INDEX api_tokens_active_name_idx ON api_tokens (name) WHERE revoked_at IS NULL;

-- Every change to a node appends one row: the record before and after (the row and the
-- children it owns, as JSON keyed by column name), who made it and when. A purge keeps
-- a tombstone (both snapshots null) and drops the node's earlier revisions with the node.
CREATE TABLE revisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  node_type text NOT NULL
    CHECK (node_type IN ('Actor', 'Treaty', 'TreatyProvision', 'TreatyAction', 'Article', 'Statement')),
  node_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  operation text NOT NULL CHECK (operation IN ('CREATE', 'UPDATE', 'DELETE', 'RESTORE', 'PUBLISH',
    'UNPUBLISH', 'WITHDRAW', 'MERGE', 'PURGE')),
  token_name text,
  created_at timestamptz NOT NULL DEFAULT now(),
  before jsonb,
  after jsonb,
  UNIQUE (node_id, version)
);
CREATE INDEX revisions_node_time_idx ON revisions (node_id, created_at);
-- Point-in-time lookups by slug: which node had this slug then.
CREATE INDEX revisions_after_slug_idx ON revisions (node_type, (after ->> 'slug')) WHERE after ? 'slug';
CREATE INDEX revisions_before_slug_idx ON revisions (node_type, (before ->> 'slug')) WHERE before ? 'slug';

-- A merged actor stays as a soft-deleted row pointing at the survivor, so its old ID and slug
-- keep resolving. Merges are flattened: a survivor is never itself merged.
ALTER TABLE actors ADD COLUMN merged_into_id uuid REFERENCES actors (id);
ALTER TABLE actors ADD CONSTRAINT actors_merged_is_deleted
  CHECK (merged_into_id IS NULL OR (deleted_at IS NOT NULL AND merged_into_id <> id));
CREATE INDEX actors_merged_into_idx ON actors (merged_into_id) WHERE merged_into_id IS NOT NULL;

-- Spans count UTF-16 code units (what clients index strings by); PostgreSQL's length() counts code
-- points, so the initial `"end" - start = length(text)` check refused quotes with emoji. The
-- repositories check the span against the paragraph on every write instead.
DO $$
DECLARE
  check_name text;
BEGIN
  SELECT conname INTO check_name FROM pg_constraint
  WHERE conrelid = 'statements'::regclass AND contype = 'c'
    AND pg_get_constraintdef(oid) LIKE '%"end" - start%';
  IF check_name IS NOT NULL THEN
    EXECUTE format('ALTER TABLE statements DROP CONSTRAINT %I', check_name);
  END IF;
END $$;
ALTER TABLE statements ADD CONSTRAINT statements_span_range CHECK (start >= 0 AND "end" > start);
