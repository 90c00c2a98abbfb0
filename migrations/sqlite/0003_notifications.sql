-- Notifications: the partner's webhook, inbound notifications stored before they are
-- acknowledged, one event per message or status, the forwarding queue and its attempts.

ALTER TABLE projects ADD COLUMN inbound_token_enc TEXT NOT NULL DEFAULT '';

CREATE TABLE webhook_configs (
    project_id           BIGINT  PRIMARY KEY REFERENCES projects (id),
    url                  TEXT    NOT NULL,
    -- JSON object of header name to value, encrypted (values are often credentials).
    headers_enc          TEXT    NOT NULL,
    -- Per-project HMAC secret for the signature header, encrypted; empty: no signature.
    signing_secret_enc   TEXT    NOT NULL DEFAULT '',
    updated_at           BIGINT  NOT NULL
);

-- Raw notifications from the upstream, stored before the 200 and processed after.
CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    project_id    BIGINT  NOT NULL REFERENCES projects (id),
    received_at   BIGINT  NOT NULL,
    body          TEXT    NOT NULL,
    processed_at  BIGINT
);
CREATE INDEX notifications_unprocessed ON notifications (processed_at, id);

-- One inbound message or one status; the same upstream id and status is one event.
CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    project_id       BIGINT  NOT NULL REFERENCES projects (id),
    notification_id  BIGINT  NOT NULL REFERENCES notifications (id),
    dedupe_key       TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    UNIQUE (project_id, dedupe_key)
);

-- Status changes of logged messages, in order (the message's timeline).
CREATE TABLE message_events (
    id           INTEGER PRIMARY KEY,
    message_id   BIGINT  NOT NULL REFERENCES messages (id),
    status       TEXT    NOT NULL,
    at           BIGINT  NOT NULL,
    error_codes  TEXT    NOT NULL DEFAULT '',
    detail       TEXT
);
CREATE INDEX message_events_message ON message_events (message_id, id);

CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY,
    project_id       BIGINT  NOT NULL REFERENCES projects (id),
    event_id         BIGINT  NOT NULL REFERENCES events (id),
    -- pending, delivered, dead
    status           TEXT    NOT NULL,
    attempts         BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT  NOT NULL,
    -- Claimed by a worker until then (a crashed worker's claim simply runs out).
    locked_until     BIGINT,
    created_at       BIGINT  NOT NULL,
    delivered_at     BIGINT
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_project ON deliveries (project_id, created_at);

CREATE TABLE delivery_attempts (
    id            INTEGER PRIMARY KEY,
    delivery_id   BIGINT  NOT NULL REFERENCES deliveries (id),
    at            BIGINT  NOT NULL,
    url           TEXT    NOT NULL,
    http_status   BIGINT,
    error         TEXT,
    latency_ms    BIGINT  NOT NULL,
    response_excerpt TEXT
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id);
