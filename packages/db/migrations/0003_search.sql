-- Search: full-text search over articles, statements, actors and treaties; trigram actor lookup.
-- Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18; the client loads pg_trgm and unaccent).
--
-- Every search vector is stored and kept current by the database itself, so no write path (the
-- API, `chancery import`, the seed, a hand-written UPDATE) can forget it:
--   * a row's own text: GENERATED ... STORED columns, recomputed by PostgreSQL on every write
--     (statements, actors, article_paragraphs, treaty_provisions);
--   * a document made of several rows (an article is its headline, standfirst and paragraphs; a
--     treaty its titles and provisions): a column set by a BEFORE trigger on the parent, which
--     the children's statement-level triggers re-fire, once per statement, in the same transaction.
-- Matching a whole document (not one paragraph at a time) is what lets `rudenko duma` find an
-- article that names Rudenko in one paragraph and the Duma in another.

-- GIN indexes take new entries into a pending list that every search reads in full until it is
-- merged (by VACUUM, or when it outgrows gin_pending_list_limit). At the stock 4 MB a search for a
-- rare word cost ~10 ms more and looked expensive enough to the planner to go parallel; PGlite has
-- no autovacuum at all. 256 kB keeps inserts batched and every search cheap.

-- Extensions live in public: tests put each suite in a schema of its own and drop it afterwards,
-- which must never take an extension with it.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

-- English stemming with accents folded: "Fédération" and "federation" are one word. Words of
-- plain ASCII (asciiword, asciihword...) have nothing to fold and keep the stock mapping.
CREATE TEXT SEARCH CONFIGURATION chancery_english (COPY = pg_catalog.english);

-- Objects of unaccent are named with the schema the extension really lives in (it may have been
-- installed before this migration, elsewhere than public), so nothing below depends on the
-- search_path of whoever runs a query, a dump or a restore.
DO $migration$
DECLARE
  unaccent_schema text := (
    SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'unaccent'
  );
BEGIN
  EXECUTE format(
    'ALTER TEXT SEARCH CONFIGURATION chancery_english ALTER MAPPING FOR hword, hword_part, word WITH %s.unaccent, english_stem',
    unaccent_schema
  );
  -- The form of a name that trigram lookup compares: lower case, accents off, word-joining
  -- punctuation dropped ("Pyong-yang" -> "pyongyang"), and the common transliteration variants
  -- of Russian and Korean names made one: c/q -> k, w -> v, y -> i, ph -> f, doubled letters
  -- single ("Rudenco" -> "rudenko", "Zelenskyy" -> "zelenski", "Moscow" -> "moskov").
  -- IMMUTABLE is a promise about unaccent's rules file, which only changes with a PostgreSQL
  -- upgrade; REINDEX after one if the rules changed.
  EXECUTE format($fn$
    CREATE FUNCTION chancery_name_key(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $body$
      SELECT btrim(regexp_replace(regexp_replace(
        translate(
          replace(regexp_replace(lower(%s.unaccent(%L::regdictionary, name)), '[-''‘’`.]+', '', 'g'), 'ph', 'f'),
          'cqwy', 'kkvi'),
        '[^a-z0-9]+', ' ', 'g'),
        '([a-z])\1+', '\1', 'g'))
    $body$
  $fn$, unaccent_schema, unaccent_schema || '.unaccent');
END
$migration$;

-- array_to_string is only STABLE (it formats elements of any type); for text[] it is immutable.
CREATE FUNCTION chancery_join_words(words text[]) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT array_to_string(words, ' ') $$;

-- tsvector concatenation (||) as an aggregate: positions of each part follow those of the last.
CREATE AGGREGATE chancery_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');

-- Statements: the words themselves (A) and, lower, the speaker's role and the occasion (C).
ALTER TABLE statements ADD COLUMN search_vector tsvector NOT NULL GENERATED ALWAYS AS (
  setweight(to_tsvector('chancery_english'::regconfig, text), 'A')
  || setweight(to_tsvector('chancery_english'::regconfig, coalesce(speaker_role, '')), 'C')
  || setweight(to_tsvector('chancery_english'::regconfig, coalesce(occasion, '')), 'C')
) STORED;
CREATE INDEX statements_search_idx ON statements USING gin (search_vector) WITH (gin_pending_list_limit = 256);

-- Actors: name and aliases (A), description (C); name_key holds every name for trigram lookup.
ALTER TABLE actors ADD COLUMN search_vector tsvector NOT NULL GENERATED ALWAYS AS (
  setweight(to_tsvector('chancery_english'::regconfig, name), 'A')
  || setweight(to_tsvector('chancery_english'::regconfig, chancery_join_words(aliases)), 'A')
  || setweight(to_tsvector('chancery_english'::regconfig, coalesce(description, '')), 'C')
) STORED;
ALTER TABLE actors ADD COLUMN name_key text NOT NULL GENERATED ALWAYS AS (
  chancery_name_key(name || ' ' || chancery_join_words(aliases))
) STORED;
CREATE INDEX actors_search_idx ON actors USING gin (search_vector) WITH (gin_pending_list_limit = 256);
CREATE INDEX actors_name_key_trgm_idx ON actors USING gin (name_key gin_trgm_ops) WITH (gin_pending_list_limit = 256);

-- Articles: headline (A), standfirst (B), the paragraphs in reading order (C). Each paragraph
-- keeps its own vector too: the article's is assembled from them, and highlighting asks which
-- paragraphs matched.
ALTER TABLE article_paragraphs ADD COLUMN search_vector tsvector NOT NULL GENERATED ALWAYS AS (
  to_tsvector('chancery_english'::regconfig, text)
) STORED;
ALTER TABLE articles ADD COLUMN search_vector tsvector NOT NULL DEFAULT '';

CREATE FUNCTION chancery_article_search_vector(article_id uuid, headline text, standfirst text)
RETURNS tsvector LANGUAGE sql STABLE SET search_path FROM CURRENT
AS $$
  SELECT setweight(to_tsvector('chancery_english', headline), 'A')
    || setweight(to_tsvector('chancery_english', coalesce(standfirst, '')), 'B')
    || setweight(coalesce(
         (SELECT chancery_tsvector_agg(p.search_vector ORDER BY p.index)
          FROM article_paragraphs p WHERE p.article_id = chancery_article_search_vector.article_id),
         ''), 'C')
$$;

CREATE FUNCTION chancery_articles_search_vector() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
BEGIN
  NEW.search_vector := chancery_article_search_vector(NEW.id, NEW.headline, NEW.standfirst);
  RETURN NEW;
END
$$;
-- Setting search_vector (to anything) recomputes it: that is how paragraph changes re-fire this.
CREATE TRIGGER articles_search_vector BEFORE INSERT OR UPDATE OF headline, standfirst, search_vector
  ON articles FOR EACH ROW EXECUTE FUNCTION chancery_articles_search_vector();

CREATE FUNCTION chancery_article_paragraphs_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE articles SET search_vector = '' WHERE id IN (SELECT article_id FROM new_paragraphs);
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE articles SET search_vector = '' WHERE id IN (
      SELECT article_id FROM new_paragraphs UNION SELECT article_id FROM old_paragraphs);
  ELSE
    UPDATE articles SET search_vector = '' WHERE id IN (SELECT article_id FROM old_paragraphs);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER article_paragraphs_search_insert AFTER INSERT ON article_paragraphs
  REFERENCING NEW TABLE AS new_paragraphs
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_article_paragraphs_changed();
CREATE TRIGGER article_paragraphs_search_update AFTER UPDATE ON article_paragraphs
  REFERENCING OLD TABLE AS old_paragraphs NEW TABLE AS new_paragraphs
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_article_paragraphs_changed();
CREATE TRIGGER article_paragraphs_search_delete AFTER DELETE ON article_paragraphs
  REFERENCING OLD TABLE AS old_paragraphs
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_article_paragraphs_changed();

UPDATE articles SET search_vector = '';
CREATE INDEX articles_search_idx ON articles USING gin (search_vector) WITH (gin_pending_list_limit = 256);

-- Treaties: title and short title (A), then the live provisions in document order: heading (B),
-- text and summary (C).
ALTER TABLE treaty_provisions ADD COLUMN search_vector tsvector NOT NULL GENERATED ALWAYS AS (
  setweight(to_tsvector('chancery_english'::regconfig, coalesce(heading, '')), 'B')
  || setweight(to_tsvector('chancery_english'::regconfig, coalesce(text, '')), 'C')
  || setweight(to_tsvector('chancery_english'::regconfig, coalesce(summary, '')), 'C')
) STORED;
ALTER TABLE treaties ADD COLUMN search_vector tsvector NOT NULL DEFAULT '';

CREATE FUNCTION chancery_treaty_search_vector(treaty_id uuid, title text, short_title text)
RETURNS tsvector LANGUAGE sql STABLE SET search_path FROM CURRENT
AS $$
  SELECT setweight(to_tsvector('chancery_english', title), 'A')
    || setweight(to_tsvector('chancery_english', coalesce(short_title, '')), 'A')
    || coalesce(
         (SELECT chancery_tsvector_agg(p.search_vector ORDER BY p.position)
          FROM treaty_provisions p
          WHERE p.treaty_id = chancery_treaty_search_vector.treaty_id AND p.deleted_at IS NULL),
         '')
$$;

CREATE FUNCTION chancery_treaties_search_vector() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
BEGIN
  NEW.search_vector := chancery_treaty_search_vector(NEW.id, NEW.title, NEW.short_title);
  RETURN NEW;
END
$$;
CREATE TRIGGER treaties_search_vector BEFORE INSERT OR UPDATE OF title, short_title, search_vector
  ON treaties FOR EACH ROW EXECUTE FUNCTION chancery_treaties_search_vector();

CREATE FUNCTION chancery_treaty_provisions_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE treaties SET search_vector = '' WHERE id IN (SELECT treaty_id FROM new_provisions);
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE treaties SET search_vector = '' WHERE id IN (
      SELECT treaty_id FROM new_provisions UNION SELECT treaty_id FROM old_provisions);
  ELSE
    UPDATE treaties SET search_vector = '' WHERE id IN (SELECT treaty_id FROM old_provisions);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER treaty_provisions_search_insert AFTER INSERT ON treaty_provisions
  REFERENCING NEW TABLE AS new_provisions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_treaty_provisions_changed();
CREATE TRIGGER treaty_provisions_search_update AFTER UPDATE ON treaty_provisions
  REFERENCING OLD TABLE AS old_provisions NEW TABLE AS new_provisions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_treaty_provisions_changed();
CREATE TRIGGER treaty_provisions_search_delete AFTER DELETE ON treaty_provisions
  REFERENCING OLD TABLE AS old_provisions
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_treaty_provisions_changed();

UPDATE treaties SET search_vector = '';
CREATE INDEX treaties_search_idx ON treaties USING gin (search_vector) WITH (gin_pending_list_limit = 256);

-- Actors whose names match `term` by substring or by trigram word similarity, both on name keys
-- and both answered by actors_name_key_trgm_idx. pg_trgm's <% takes its threshold from a setting;
-- it is set here, for this function only, below the stock 0.6 so that one-letter typos
-- ("Rudneko") still match. A key of three letters or fewer has too few trigrams to tell a typo
-- from another name ("rus" would find Rudenko): it matches as a substring only. A term with no
-- letter or digit ("%") has an empty key and matches nothing. Soft-deleted actors are the caller's
-- to exclude.
CREATE FUNCTION chancery_actors_matching_name(term text) RETURNS SETOF uuid
LANGUAGE sql STABLE
SET pg_trgm.word_similarity_threshold = 0.45
SET search_path FROM CURRENT
AS $$
  SELECT id FROM actors
  WHERE chancery_name_key(term) <> ''
    AND (name_key LIKE '%' || chancery_name_key(term) || '%'
         OR (length(chancery_name_key(term)) >= 4 AND chancery_name_key(term) <% name_key))
$$;
