-- Webhooks: endpoints an admin registers, and the deliveries made to them from the change log
-- (0006), a transactional outbox. Each endpoint keeps its own position in the log: a server reads
-- the changes after it, writes one delivery per matching change and moves the position on in the
-- same transaction, so a crash between the two loses nothing and writes nothing twice. Deliveries
-- are then sent in log order per endpoint (`seq`), at least once: a delivery is claimed with
-- FOR UPDATE SKIP LOCKED and leased (`leased_until`) for the length of one request, so several
-- server processes on one database never send the same delivery at once, and a process killed
-- mid-request leaves a lease that simply runs out. The body is stored as sent, so every attempt
-- (and a manual redelivery) carries the same event id and the same bytes.

CREATE TABLE webhook_endpoints (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url text NOT NULL CHECK (url ~ '^https?://'),
  events text[] NOT NULL CHECK (cardinality(events) > 0),
  filter jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Standard Webhooks: whsec_ and the base64 of the key. Shown once, at creation.
  secret text NOT NULL CHECK (secret ~ '^whsec_[A-Za-z0-9+/=]+$'),
  paused boolean NOT NULL DEFAULT false,
  -- After which change (xid, id) of the log this endpoint's deliveries are written. It starts where
  -- readers stand, below the oldest running transaction; changes above it that had committed when
  -- the endpoint was made (visible in `created_snapshot`) are skipped: it gets exactly the changes
  -- committed after it was made.
  position_xid xid8 NOT NULL DEFAULT pg_snapshot_xmin(pg_current_snapshot()),
  position_id bigint NOT NULL DEFAULT 0,
  created_snapshot text NOT NULL DEFAULT pg_current_snapshot()::text,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Order of sending within an endpoint: the log's order, since positions only move forward.
  seq bigserial NOT NULL UNIQUE,
  endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  -- The change's cursor: the Standard Webhooks message id (`webhook-id`).
  event_id text NOT NULL,
  event_type text NOT NULL,
  node_type text NOT NULL,
  node_id uuid NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  leased_until timestamptz,
  last_status integer,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  UNIQUE (endpoint_id, event_id)
);
-- The head of each endpoint's queue, and what is due.
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (endpoint_id, seq) WHERE status = 'PENDING';
-- The delivery log, newest first.
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (endpoint_id, seq DESC);

-- The change feed (0004), as for every table: servers hear of endpoints made, resumed or deleted
-- by another process (or the CLI) at once.
CREATE TRIGGER webhook_endpoints_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON webhook_endpoints
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
CREATE TRIGGER webhook_deliveries_change_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON webhook_deliveries
  FOR EACH STATEMENT EXECUTE FUNCTION chancery_notify_change();
