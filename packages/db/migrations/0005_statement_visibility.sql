-- What readers see, as columns of the rows they read. A statement is exactly as visible as its
-- article; reads used to probe `articles` for every statement they considered (EXISTS …
-- status = 'PUBLISHED'), which without statistics (right after an import) was planned as a loop
-- over every published article.
--
-- `live` (not deleted) and `published` (live and PUBLISHED): on articles generated from the row
-- itself; on statements kept by triggers from the statement's own deletion and its article's state,
-- on every write path (API, importer, bundles, merges, psql alike) and in the same transaction.
-- One boolean per rule also keeps plans sane before any ANALYZE: the planner guesses half the rows
-- for a boolean, where it guessed 0.5% for `deleted_at IS NULL`.

ALTER TABLE articles
  ADD COLUMN live boolean NOT NULL GENERATED ALWAYS AS (deleted_at IS NULL) STORED,
  ADD COLUMN published boolean NOT NULL GENERATED ALWAYS AS (deleted_at IS NULL AND status = 'PUBLISHED') STORED;

ALTER TABLE statements
  ADD COLUMN live boolean NOT NULL DEFAULT true,
  ADD COLUMN published boolean NOT NULL DEFAULT false;

UPDATE statements s
   SET live = s.deleted_at IS NULL AND a.live,
       published = s.deleted_at IS NULL AND a.published
  FROM articles a
 WHERE a.id = s.article_id;

CREATE FUNCTION chancery_statement_visibility() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  article_live boolean;
  article_published boolean;
BEGIN
  SELECT a.live, a.published INTO article_live, article_published FROM articles a WHERE a.id = NEW.article_id;
  -- A missing article is left to the foreign key, whose error names it.
  IF FOUND THEN
    NEW.live := NEW.deleted_at IS NULL AND article_live;
    NEW.published := NEW.deleted_at IS NULL AND article_published;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER statements_visibility
  BEFORE INSERT OR UPDATE OF article_id, deleted_at, live, published ON statements
  FOR EACH ROW EXECUTE FUNCTION chancery_statement_visibility();

CREATE FUNCTION chancery_article_visibility_to_statements() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  -- The statements' own trigger combines the article's new state with their own deletion.
  UPDATE statements SET live = NEW.live, published = NEW.published WHERE article_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER articles_visibility_to_statements
  AFTER UPDATE OF status, deleted_at ON articles
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
  EXECUTE FUNCTION chancery_article_visibility_to_statements();

-- Readers' lists, in the orders their connections ask for: statements newest first overall and by
-- speaker (with its count), articles newest first.
CREATE INDEX statements_published_said_on_idx ON statements (said_on, id) WHERE published;
CREATE INDEX statements_published_speaker_idx ON statements (speaker_id, said_on, id) WHERE published;
CREATE INDEX articles_published_order_idx ON articles (published_at, id) WHERE published;
