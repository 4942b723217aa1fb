-- Chancery's initial schema. Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18).
-- Closed vocabularies are CHECK constraints, not enum types, so adding a value is one ALTER.

CREATE TABLE actors (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  deleted_at timestamptz,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  kind text NOT NULL CHECK (kind IN ('PERSON', 'STATE', 'ORGANIZATION')),
  aliases text[] NOT NULL DEFAULT '{}',
  description text,
  country_code text CHECK (country_code ~ '^[A-Z]{2}$'),
  wikidata_id text CHECK (wikidata_id ~ '^Q[0-9]+$')
);
CREATE INDEX actors_kind_name_idx ON actors (kind, name);
CREATE INDEX actors_name_idx ON actors (name, id);
CREATE INDEX actors_country_code_idx ON actors (country_code);

CREATE TABLE actor_roles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  actor_id uuid NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  position integer NOT NULL,
  title text NOT NULL,
  organization_id uuid REFERENCES actors (id),
  start_date date,
  end_date date,
  CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX actor_roles_actor_idx ON actor_roles (actor_id, position);
CREATE INDEX actor_roles_organization_idx ON actor_roles (organization_id);

CREATE TABLE treaties (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  deleted_at timestamptz,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text NOT NULL CHECK (length(btrim(title)) > 0),
  short_title text,
  status text NOT NULL CHECK (status IN ('NEGOTIATING', 'SIGNED', 'PENDING_RATIFICATION', 'IN_FORCE', 'TERMINATED')),
  signed_on date,
  signed_place text,
  entry_into_force_on date
);
CREATE INDEX treaties_title_idx ON treaties (title, id);
CREATE INDEX treaties_status_idx ON treaties (status);

CREATE TABLE treaty_parties (
  treaty_id uuid NOT NULL REFERENCES treaties (id) ON DELETE CASCADE,
  actor_id uuid NOT NULL REFERENCES actors (id),
  position integer NOT NULL,
  PRIMARY KEY (treaty_id, actor_id)
);
CREATE INDEX treaty_parties_actor_idx ON treaty_parties (actor_id);

CREATE TABLE treaty_provisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  deleted_at timestamptz,
  treaty_id uuid NOT NULL REFERENCES treaties (id) ON DELETE CASCADE,
  number text NOT NULL CHECK (length(btrim(number)) > 0),
  position integer NOT NULL,
  heading text,
  text text,
  summary text,
  UNIQUE (treaty_id, number)
);
CREATE INDEX treaty_provisions_order_idx ON treaty_provisions (treaty_id, position);

CREATE TABLE provision_references (
  from_provision_id uuid NOT NULL REFERENCES treaty_provisions (id) ON DELETE CASCADE,
  to_provision_id uuid NOT NULL REFERENCES treaty_provisions (id) ON DELETE CASCADE,
  PRIMARY KEY (from_provision_id, to_provision_id),
  CHECK (from_provision_id <> to_provision_id)
);
CREATE INDEX provision_references_to_idx ON provision_references (to_provision_id);

CREATE TABLE articles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  deleted_at timestamptz,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  headline text NOT NULL CHECK (length(btrim(headline)) > 0),
  standfirst text,
  dateline_place text,
  dateline_text text,
  publisher_id uuid REFERENCES actors (id),
  byline text,
  published_at timestamptz NOT NULL,
  language text NOT NULL DEFAULT 'en',
  url text,
  status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'PUBLISHED', 'WITHDRAWN')),
  content_hash text
);
CREATE INDEX articles_published_idx ON articles (published_at, id);
CREATE INDEX articles_publisher_idx ON articles (publisher_id, published_at);
CREATE INDEX articles_status_idx ON articles (status, published_at);

CREATE TABLE article_paragraphs (
  article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  index integer NOT NULL CHECK (index >= 0),
  text text NOT NULL,
  PRIMARY KEY (article_id, index)
);

CREATE TABLE article_mentions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  paragraph integer NOT NULL,
  start integer NOT NULL,
  "end" integer NOT NULL,
  text text NOT NULL,
  actor_id uuid REFERENCES actors (id),
  treaty_id uuid REFERENCES treaties (id),
  provision_id uuid REFERENCES treaty_provisions (id),
  FOREIGN KEY (article_id, paragraph) REFERENCES article_paragraphs (article_id, index),
  CHECK (start >= 0 AND "end" > start),
  CHECK (num_nonnulls(actor_id, treaty_id, provision_id) = 1)
);
CREATE INDEX article_mentions_article_idx ON article_mentions (article_id, paragraph, start);
CREATE INDEX article_mentions_actor_idx ON article_mentions (actor_id);
CREATE INDEX article_mentions_treaty_idx ON article_mentions (treaty_id);
CREATE INDEX article_mentions_provision_idx ON article_mentions (provision_id);

CREATE TABLE article_actors (
  article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  actor_id uuid NOT NULL REFERENCES actors (id),
  PRIMARY KEY (article_id, actor_id)
);
CREATE INDEX article_actors_actor_idx ON article_actors (actor_id);

CREATE TABLE article_treaties (
  article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  treaty_id uuid NOT NULL REFERENCES treaties (id),
  PRIMARY KEY (article_id, treaty_id)
);
CREATE INDEX article_treaties_treaty_idx ON article_treaties (treaty_id);

CREATE TABLE treaty_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  deleted_at timestamptz,
  treaty_id uuid NOT NULL REFERENCES treaties (id) ON DELETE CASCADE,
  type text NOT NULL CHECK (type IN ('SIGNATURE', 'SUBMISSION_FOR_RATIFICATION', 'RATIFICATION', 'ACCESSION',
    'EXCHANGE_OF_INSTRUMENTS', 'ENTRY_INTO_FORCE', 'DENUNCIATION', 'WITHDRAWAL')),
  date date,
  actor_id uuid REFERENCES actors (id),
  body_id uuid REFERENCES actors (id),
  place text,
  description text,
  source_article_id uuid,
  source_paragraph integer,
  source_start integer,
  source_end integer,
  source_text text,
  FOREIGN KEY (source_article_id, source_paragraph) REFERENCES article_paragraphs (article_id, index),
  CHECK (num_nulls(source_article_id, source_paragraph, source_start, source_end, source_text) IN (0, 5))
);
CREATE INDEX treaty_actions_timeline_idx ON treaty_actions (treaty_id, date, created_at);

CREATE TABLE statements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  deleted_at timestamptz,
  text text NOT NULL CHECK (length(text) > 0),
  kind text NOT NULL CHECK (kind IN ('DIRECT', 'INDIRECT')),
  speaker_id uuid REFERENCES actors (id),
  speaker_role text,
  cue text,
  said_on date NOT NULL,
  occasion text,
  article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  paragraph integer NOT NULL,
  start integer NOT NULL,
  "end" integer NOT NULL,
  attribution_method text NOT NULL CHECK (attribution_method IN ('MANUAL', 'RULES')),
  attribution_confidence real NOT NULL DEFAULT 1 CHECK (attribution_confidence BETWEEN 0 AND 1),
  -- The span points into an existing paragraph (which cannot be removed under it); that its
  -- text matches the paragraph's is checked on every write (sourceSpanProblem in domain).
  FOREIGN KEY (article_id, paragraph) REFERENCES article_paragraphs (article_id, index),
  CHECK (start >= 0 AND "end" - start = length(text))
);
CREATE INDEX statements_reading_order_idx ON statements (article_id, paragraph, start);
CREATE INDEX statements_speaker_idx ON statements (speaker_id, said_on, id);
CREATE INDEX statements_said_on_idx ON statements (said_on, id);

CREATE TABLE statement_treaties (
  statement_id uuid NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
  treaty_id uuid NOT NULL REFERENCES treaties (id),
  PRIMARY KEY (statement_id, treaty_id)
);
CREATE INDEX statement_treaties_treaty_idx ON statement_treaties (treaty_id);

CREATE TABLE statement_provisions (
  statement_id uuid NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
  provision_id uuid NOT NULL REFERENCES treaty_provisions (id),
  PRIMARY KEY (statement_id, provision_id)
);
CREATE INDEX statement_provisions_provision_idx ON statement_provisions (provision_id);
