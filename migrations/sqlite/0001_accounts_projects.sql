-- Accounts, sessions, projects and the audit log.
-- Portable shapes: integer ids, TEXT, BIGINT UTC milliseconds for times, 0/1 flags.

CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    email            TEXT    NOT NULL UNIQUE,
    password_hash    TEXT    NOT NULL,
    role             TEXT    NOT NULL CHECK (role IN ('admin', 'support', 'partner')),
    organization_id  BIGINT  REFERENCES organizations (id),
    disabled         BIGINT  NOT NULL DEFAULT 0,
    created_at       BIGINT  NOT NULL,
    last_login_at    BIGINT
);

CREATE TABLE sessions (
    id          TEXT    PRIMARY KEY,
    data        TEXT    NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Failed logins, by subject ("email:..." or "ip:..."), for throttling across instances.
CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY,
    subject  TEXT    NOT NULL,
    at       BIGINT  NOT NULL
);
CREATE INDEX login_failures_subject_at ON login_failures (subject, at);

CREATE TABLE projects (
    id                     INTEGER PRIMARY KEY,
    organization_id        BIGINT  NOT NULL REFERENCES organizations (id),
    name                   TEXT    NOT NULL,
    phone_number           TEXT    NOT NULL UNIQUE,
    upstream_url           TEXT    NOT NULL,
    upstream_username      TEXT    NOT NULL,
    upstream_password_enc  TEXT    NOT NULL,
    notes                  TEXT    NOT NULL DEFAULT '',
    created_at             BIGINT  NOT NULL,
    updated_at             BIGINT  NOT NULL
);
CREATE INDEX projects_organization ON projects (organization_id);

CREATE TABLE audit_log (
    id               INTEGER PRIMARY KEY,
    at               BIGINT  NOT NULL,
    actor_user_id    BIGINT,
    actor_label      TEXT    NOT NULL,
    action           TEXT    NOT NULL,
    subject_type     TEXT    NOT NULL,
    subject_id       BIGINT,
    organization_id  BIGINT,
    project_id       BIGINT,
    before_json      TEXT,
    after_json       TEXT
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);
CREATE INDEX audit_log_project ON audit_log (project_id, at);
