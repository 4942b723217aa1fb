-- The change feed: every committed write to a table announces `<schema>.<table>` on the channel
-- `chancery_changes` (NOTIFY), whoever made it: the API, `chancery import`, psql, another server.
-- (With the schema, databases that share a server in separate schemas, as the tests do, ignore
-- each other's writes.)
-- Servers keep caches of what they read (the response cache, apps/server/src/response-cache.ts)
-- and drop what a change makes stale. PostgreSQL delivers a notification only when its
-- transaction commits, and once per distinct table per transaction, so a rolled-back write says
-- nothing and a bulk import says each table once.
--
-- A new table gets its trigger in the migration that creates it: packages/db/test/change-feed.test.ts
-- fails for a table without one.

CREATE FUNCTION chancery_notify_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM pg_notify('chancery_changes', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER actors_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actors
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER actor_roles_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actor_roles
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER treaties_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON treaties
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER treaty_parties_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON treaty_parties
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER treaty_provisions_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON treaty_provisions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER provision_references_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON provision_references
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER treaty_actions_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON treaty_actions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER articles_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER article_paragraphs_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON article_paragraphs
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER article_mentions_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON article_mentions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER article_actors_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON article_actors
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER article_treaties_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON article_treaties
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER statements_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON statements
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER statement_treaties_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON statement_treaties
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER statement_provisions_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON statement_provisions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER api_tokens_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER revisions_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON revisions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
