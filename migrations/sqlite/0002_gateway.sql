-- The gateway: API keys, per-project gateway settings, contacts (24-hour window) and
-- the message log.

ALTER TABLE projects ADD COLUMN enforce_24h_window BIGINT NOT NULL DEFAULT 1;
ALTER TABLE projects ADD COLUMN redact_bodies BIGINT NOT NULL DEFAULT 0;

CREATE TABLE api_keys (
    id               INTEGER PRIMARY KEY,
    project_id       BIGINT  NOT NULL REFERENCES projects (id),
    name             TEXT    NOT NULL,
    -- The visible start of the key (e.g. "tj_4f9a2c"), for lists and lookups.
    prefix           TEXT    NOT NULL,
    -- SHA-256 of the whole key, hex; the key itself is never stored.
    key_hash         TEXT    NOT NULL UNIQUE,
    created_by       TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    expires_at       BIGINT,
    revoked_at       BIGINT,
    last_used_at     BIGINT
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);
CREATE INDEX api_keys_project ON api_keys (project_id);

CREATE TABLE contacts (
    project_id       BIGINT  NOT NULL REFERENCES projects (id),
    wa_id            TEXT    NOT NULL,
    last_inbound_at  BIGINT  NOT NULL,
    PRIMARY KEY (project_id, wa_id)
);

CREATE TABLE messages (
    id                   INTEGER PRIMARY KEY,
    created_at           BIGINT  NOT NULL,
    project_id           BIGINT  NOT NULL REFERENCES projects (id),
    api_key_id           BIGINT,
    direction            TEXT    NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    -- The recipient (outbound) or sender (inbound), as wa_id digits.
    contact              TEXT    NOT NULL DEFAULT '',
    message_type         TEXT    NOT NULL DEFAULT '',
    request_body         TEXT,
    -- "accepted", or the name of the check that refused it.
    decision             TEXT    NOT NULL,
    status               TEXT    NOT NULL,
    upstream_status      BIGINT,
    upstream_response    TEXT,
    upstream_message_id  TEXT,
    error_codes          TEXT    NOT NULL DEFAULT '',
    latency_ms           BIGINT
);
CREATE INDEX messages_project_created ON messages (project_id, created_at, id);
CREATE INDEX messages_created ON messages (created_at, id);
CREATE INDEX messages_upstream_id ON messages (upstream_message_id);
