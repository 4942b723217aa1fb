-- Nothing leaves the change log (0006) unseen. Two ways it could:
--
-- Pruning. Changes older than the retention (CHANCERY_CHANGE_LOG_DAYS) are deleted, whether or not
-- every webhook endpoint (0009) has had them: one paused, or far behind, would resume from the next
-- change kept and its receiver would never learn what it missed. So every delete from the log
-- records, for each endpoint whose position is before deleted changes of the events it asked for,
-- a gap: how many such changes went and between which times (`changed_at`). Its filter cannot be
-- checked (the nodes may be gone), so a gap may hold changes it would not have been sent. The
-- endpoint goes on with the oldest change kept; admins see the gaps (`webhook(id) { gaps }`,
-- `chancery webhook list`) and servers log a warning once for each (`warned`).
--
-- TRUNCATE. Row triggers do not fire for it, so it would empty content tables without a change
-- logged (subscribers, `changes(after:)` and webhooks would never hear), or empty the log without
-- the gaps above. It is refused on those tables; DELETE does the same and is logged.

CREATE TABLE webhook_gaps (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  -- The deleted changes the endpoint had not had yet: how many, the oldest's time and the newest's.
  changes integer NOT NULL CHECK (changes > 0),
  from_at timestamptz NOT NULL,
  through_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  warned boolean NOT NULL DEFAULT false
);
CREATE INDEX webhook_gaps_endpoint_idx ON webhook_gaps (endpoint_id, recorded_at DESC);
CREATE INDEX webhook_gaps_unwarned_idx ON webhook_gaps (recorded_at) WHERE NOT warned;

CREATE TRIGGER webhook_gaps_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON webhook_gaps
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();

-- Any delete from the log records the gaps it makes (the CASE is the event a change is for readers,
-- as webhookEventOf in packages/db/src/webhooks.ts says).
CREATE FUNCTION chancery_record_webhook_gaps() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO webhook_gaps (endpoint_id, changes, from_at, through_at)
  SELECT e.id, count(*)::int, min(gone.changed_at), max(gone.changed_at)
  FROM gone JOIN webhook_endpoints e ON (gone.xid, gone.id) > (e.position_xid, e.position_id)
  WHERE (gone.visible OR gone.was_visible)
    -- Committed before the endpoint was made: never its.
    AND NOT pg_visible_in_snapshot(gone.xid, e.created_snapshot::pg_snapshot)
    AND CASE gone.node_type
          WHEN 'Statement' THEN CASE WHEN gone.visible AND gone.operation <> 'DELETE'
                                     THEN 'STATEMENT_PUBLISHED' ELSE 'STATEMENT_UNPUBLISHED' END
          WHEN 'Article' THEN CASE WHEN gone.visible AND gone.operation <> 'DELETE'
                                   THEN 'ARTICLE_PUBLISHED' ELSE 'ARTICLE_UNPUBLISHED' END
          WHEN 'Treaty' THEN 'TREATY_CHANGED'
          ELSE 'ACTOR_CHANGED' END = ANY (e.events)
  GROUP BY e.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER change_log_webhook_gaps AFTER DELETE ON change_log
  REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_record_webhook_gaps();

CREATE FUNCTION chancery_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION 'TRUNCATE % is refused: the change log does not record it, so subscribers, changes(after:) and webhooks would never hear of it', TG_TABLE_NAME
    USING HINT = format('Delete the rows instead (DELETE FROM %I), which the change log records.', TG_TABLE_NAME),
          ERRCODE = 'feature_not_supported';
END
$$;

CREATE TRIGGER change_log_refuse_truncate BEFORE TRUNCATE ON change_log
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER actors_refuse_truncate BEFORE TRUNCATE ON actors
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER actor_roles_refuse_truncate BEFORE TRUNCATE ON actor_roles
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER treaties_refuse_truncate BEFORE TRUNCATE ON treaties
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER treaty_parties_refuse_truncate BEFORE TRUNCATE ON treaty_parties
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER treaty_provisions_refuse_truncate BEFORE TRUNCATE ON treaty_provisions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER provision_references_refuse_truncate BEFORE TRUNCATE ON provision_references
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER treaty_actions_refuse_truncate BEFORE TRUNCATE ON treaty_actions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER articles_refuse_truncate BEFORE TRUNCATE ON articles
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER article_paragraphs_refuse_truncate BEFORE TRUNCATE ON article_paragraphs
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER article_mentions_refuse_truncate BEFORE TRUNCATE ON article_mentions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER article_actors_refuse_truncate BEFORE TRUNCATE ON article_actors
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER article_treaties_refuse_truncate BEFORE TRUNCATE ON article_treaties
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER statements_refuse_truncate BEFORE TRUNCATE ON statements
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER statement_treaties_refuse_truncate BEFORE TRUNCATE ON statement_treaties
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
CREATE TRIGGER statement_provisions_refuse_truncate BEFORE TRUNCATE ON statement_provisions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_refuse_truncate();
