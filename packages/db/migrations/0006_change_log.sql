-- The change log: every committed change to content (actors, treaties, articles, statements and
-- the rows that belong to them), one row per node per transaction, written by triggers in the same
-- transaction as the change, so every write path (API, importer, bundles, merges, psql) is logged
-- and a rolled-back write is not. Subscriptions and `changes(after:)` read it; the NOTIFY of 0004
-- (this table has its trigger too) tells listeners to read.
--
-- Order. A bigserial alone is not a safe cursor: ids are taken when a row is written, and
-- transactions commit in another order, so a reader that saw id 11 could later see id 10 appear.
-- Each row records its transaction's id (`xid`, 64-bit: it never wraps), and readers take only rows
-- whose transaction is below the oldest transaction still running, pg_snapshot_xmin of their own
-- snapshot: every such transaction has ended, so no row can ever appear below that line again. The
-- order is (xid, id): by transaction, then within one as written. That is the order transactions
-- took their ids, not always the order they committed; an event names a node and readers load its
-- current state, so a subscriber always ends on what is stored. A long writing transaction (a big
-- import) holds later changes back until it ends.
--
-- Nodes. Rows of child tables are logged as an UPDATE of the node they belong to (a paragraph as its
-- Article, an action or provision as its Treaty, a role as its Actor, a statement's treaties as the
-- Statement), since subscribers and clients reread nodes, not rows. Within one transaction a node is
-- logged once: DELETE outranks CREATE, which outranks UPDATE; `was_visible` is the node's state
-- before the transaction's first change, `visible` after its last.
--
-- Visibility is what readers (no token) see: articles and statements when `published` (0005),
-- actors and treaties while not deleted. `visible AND NOT was_visible` is "became visible";
-- `visible AND was_visible` a change to a visible node. TRUNCATE is not logged.

CREATE TABLE change_log (
  id bigserial PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  node_type text NOT NULL CHECK (node_type IN ('Actor', 'Treaty', 'Article', 'Statement')),
  node_id uuid NOT NULL,
  operation text NOT NULL CHECK (operation IN ('CREATE', 'UPDATE', 'DELETE')),
  was_visible boolean NOT NULL,
  visible boolean NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
-- Readers page in this order; the uniqueness merges a transaction's changes to one node.
CREATE UNIQUE INDEX change_log_order_idx ON change_log (xid, id);
CREATE UNIQUE INDEX change_log_node_idx ON change_log (xid, node_type, node_id);
-- Retention deletes by age.
CREATE INDEX change_log_changed_at_idx ON change_log (changed_at);

CREATE TRIGGER change_log_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON change_log
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();

CREATE FUNCTION chancery_log_change(node_type text, node_id uuid, operation text, was_visible boolean, visible boolean)
RETURNS void
LANGUAGE sql
AS $$
  INSERT INTO change_log (node_type, node_id, operation, was_visible, visible)
  VALUES (node_type, node_id, operation, was_visible, visible)
  ON CONFLICT (xid, node_type, node_id) DO UPDATE SET
    operation = CASE
      WHEN 'DELETE' IN (change_log.operation, EXCLUDED.operation) THEN 'DELETE'
      WHEN 'CREATE' IN (change_log.operation, EXCLUDED.operation) THEN 'CREATE'
      ELSE 'UPDATE' END,
    visible = EXCLUDED.visible,
    changed_at = EXCLUDED.changed_at
$$;

-- Nodes' own rows. TG_ARGV[0] is the node type; an update that sets deleted_at is a DELETE.
CREATE FUNCTION chancery_log_node_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  was boolean := false;
  now_visible boolean := false;
  row_id uuid;
  op text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF TG_TABLE_NAME IN ('articles', 'statements') THEN was := OLD.published; ELSE was := OLD.deleted_at IS NULL; END IF;
    row_id := OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF TG_TABLE_NAME IN ('articles', 'statements') THEN now_visible := NEW.published; ELSE now_visible := NEW.deleted_at IS NULL; END IF;
    row_id := NEW.id;
  END IF;
  op := CASE
    WHEN TG_OP = 'INSERT' THEN 'CREATE'
    WHEN TG_OP = 'DELETE' THEN 'DELETE'
    WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'DELETE'
    ELSE 'UPDATE' END;
  PERFORM chancery_log_change(TG_ARGV[0], row_id, op, was, now_visible);
  RETURN NULL;
END
$$;

-- Child rows: an UPDATE of the node they belong to, as visible as that node is now. A child deleted
-- with its node (ON DELETE CASCADE) finds no node: the node's own DELETE says it all.
CREATE FUNCTION chancery_log_child_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  r record;
  node_type text;
  node_id uuid;
  node_visible boolean;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  CASE TG_TABLE_NAME
    WHEN 'actor_roles' THEN
      node_type := 'Actor';
      SELECT a.id, a.deleted_at IS NULL INTO node_id, node_visible FROM actors a WHERE a.id = r.actor_id;
    WHEN 'treaty_parties', 'treaty_provisions', 'treaty_actions' THEN
      node_type := 'Treaty';
      SELECT t.id, t.deleted_at IS NULL INTO node_id, node_visible FROM treaties t WHERE t.id = r.treaty_id;
    WHEN 'provision_references' THEN
      node_type := 'Treaty';
      SELECT t.id, t.deleted_at IS NULL INTO node_id, node_visible
        FROM treaty_provisions p JOIN treaties t ON t.id = p.treaty_id WHERE p.id = r.from_provision_id;
    WHEN 'article_paragraphs', 'article_mentions', 'article_actors', 'article_treaties' THEN
      node_type := 'Article';
      SELECT a.id, a.published INTO node_id, node_visible FROM articles a WHERE a.id = r.article_id;
    WHEN 'statement_treaties', 'statement_provisions' THEN
      node_type := 'Statement';
      SELECT s.id, s.published INTO node_id, node_visible FROM statements s WHERE s.id = r.statement_id;
  END CASE;
  IF node_id IS NOT NULL THEN
    PERFORM chancery_log_change(node_type, node_id, 'UPDATE', node_visible, node_visible);
  END IF;
  RETURN NULL;
END
$$;

-- Updates that change nothing (a statement's visibility rewritten to what it was when its article
-- goes from DRAFT to WITHDRAWN) are not changes.
CREATE TRIGGER actors_change_log AFTER INSERT OR DELETE ON actors
  FOR EACH ROW EXECUTE FUNCTION chancery_log_node_change('Actor');
CREATE TRIGGER actors_change_log_update AFTER UPDATE ON actors
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION chancery_log_node_change('Actor');
CREATE TRIGGER treaties_change_log AFTER INSERT OR DELETE ON treaties
  FOR EACH ROW EXECUTE FUNCTION chancery_log_node_change('Treaty');
CREATE TRIGGER treaties_change_log_update AFTER UPDATE ON treaties
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION chancery_log_node_change('Treaty');
CREATE TRIGGER articles_change_log AFTER INSERT OR DELETE ON articles
  FOR EACH ROW EXECUTE FUNCTION chancery_log_node_change('Article');
CREATE TRIGGER articles_change_log_update AFTER UPDATE ON articles
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION chancery_log_node_change('Article');
CREATE TRIGGER statements_change_log AFTER INSERT OR DELETE ON statements
  FOR EACH ROW EXECUTE FUNCTION chancery_log_node_change('Statement');
CREATE TRIGGER statements_change_log_update AFTER UPDATE ON statements
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION chancery_log_node_change('Statement');

CREATE TRIGGER actor_roles_change_log AFTER INSERT OR UPDATE OR DELETE ON actor_roles
  FOR EACH ROW EXECUTE FUNCTION chancery_log_child_change();
CREATE TRIGGER treaty_parties_change_log AFTER INSERT OR UPDATE OR DELETE ON treaty_parties
  FOR EACH ROW EXECUTE FUNCTION chancery_log_child_change();
CREATE TRIGGER treaty_provisions_change_log AFTER INSERT OR UPDATE OR DELETE ON treaty_provisions
  FOR EACH ROW EXECUTE FUNCTION chancery_log_child_change();
CREATE TRIGGER provision_references_change_log AFTER INSERT OR UPDATE OR DELETE ON provision_references
  FOR EACH ROW EXECUTE FUNCTION chancery_log_child_change();
CREATE TRIGGER treaty_actions_change_log AFTER INSERT OR UPDATE OR DELETE ON treaty_actions
  FOR EACH ROW EXECUTE FUNCTION chancery_log_child_change();
CREATE TRIGGER article_paragraphs_change_log AFTER INSERT OR UPDATE OR DELETE ON article_paragraphs
  FOR EACH ROW EXECUTE FUNCTION chancery_log_child_change();
CREATE TRIGGER article_mentions_change_log AFTER INSERT OR UPDATE OR DELETE ON article_mentions
  FOR EACH ROW EXECUTE FUNCTION chancery_log_child_change();
CREATE TRIGGER article_actors_change_log AFTER INSERT OR UPDATE OR DELETE ON article_actors
  FOR EACH ROW EXECUTE FUNCTION chancery_log_child_change();
CREATE TRIGGER article_treaties_change_log AFTER INSERT OR UPDATE OR DELETE ON article_treaties
  FOR EACH ROW EXECUTE FUNCTION chancery_log_child_change();
CREATE TRIGGER statement_treaties_change_log AFTER INSERT OR UPDATE OR DELETE ON statement_treaties
  FOR EACH ROW EXECUTE FUNCTION chancery_log_child_change();
CREATE TRIGGER statement_provisions_change_log AFTER INSERT OR UPDATE OR DELETE ON statement_provisions
  FOR EACH ROW EXECUTE FUNCTION chancery_log_child_change();
