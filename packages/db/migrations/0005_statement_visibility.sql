-- A statement is exactly as visible as its article. Reads used to probe `articles` for every
-- statement they considered (EXISTS … status = 'PUBLISHED'), which without fresh statistics was
-- planned as a loop over every published article. Each statement now carries its article's state,
-- kept here by the database on every write path (API, importer, bundles, merges, psql alike), so a
-- reader's list is one range of a partial index and its count is answered by that index.
--
-- Never written by hand: the trigger on statements overwrites whatever a write puts there, and a
-- change of an article's status or deletion rewrites its statements in the same transaction.

ALTER TABLE statements
  ADD COLUMN article_live boolean NOT NULL DEFAULT true,
  ADD COLUMN article_published boolean NOT NULL DEFAULT false;

UPDATE statements s
   SET article_live = a.deleted_at IS NULL,
       article_published = a.deleted_at IS NULL AND a.status = 'PUBLISHED'
  FROM articles a
 WHERE a.id = s.article_id;

CREATE FUNCTION chancery_statement_article_state() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  live boolean;
  published boolean;
BEGIN
  SELECT a.deleted_at IS NULL, a.deleted_at IS NULL AND a.status = 'PUBLISHED'
    INTO live, published
    FROM articles a
   WHERE a.id = NEW.article_id;
  -- A missing article is left to the foreign key, whose error names it.
  IF FOUND THEN
    NEW.article_live := live;
    NEW.article_published := published;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER statements_article_state
  BEFORE INSERT OR UPDATE OF article_id, article_live, article_published ON statements
  FOR EACH ROW EXECUTE FUNCTION chancery_statement_article_state();

CREATE FUNCTION chancery_article_state_to_statements() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  -- The statements' own trigger reads the article's new state.
  UPDATE statements
     SET article_live = NEW.deleted_at IS NULL,
         article_published = NEW.deleted_at IS NULL AND NEW.status = 'PUBLISHED'
   WHERE article_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER articles_state_to_statements
  AFTER UPDATE OF status, deleted_at ON articles
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
  EXECUTE FUNCTION chancery_article_state_to_statements();

-- What readers see, in the orders their connections ask for: newest first overall, by speaker
-- (with its count), and published articles newest first.
CREATE INDEX statements_public_said_on_idx ON statements (said_on, id)
  WHERE deleted_at IS NULL AND article_published;
CREATE INDEX statements_public_speaker_idx ON statements (speaker_id, said_on, id)
  WHERE deleted_at IS NULL AND article_published;
CREATE INDEX articles_public_published_idx ON articles (published_at, id)
  WHERE deleted_at IS NULL AND status = 'PUBLISHED';
