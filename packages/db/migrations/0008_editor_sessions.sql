-- Editor sessions: the web app's editors sign in once with an API token and then hold a session
-- cookie (apps/server/src/http/session.ts) instead of keeping the token in the page. As for API
-- tokens, only the SHA-256 of a session id is stored: a leaked database does not leak sessions.
-- A session acts with its token's role and ends with it: revoking the token (or deleting it) ends
-- every session it opened. Signing out deletes the row; expired rows are deleted as new ones come.
CREATE TABLE editor_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_hash text NOT NULL UNIQUE CHECK (session_hash ~ '^[0-9a-f]{64}$'),
  token_id uuid NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CHECK (expires_at > created_at)
);
CREATE INDEX editor_sessions_token_idx ON editor_sessions (token_id);
CREATE INDEX editor_sessions_expires_idx ON editor_sessions (expires_at);

CREATE TRIGGER editor_sessions_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON editor_sessions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
