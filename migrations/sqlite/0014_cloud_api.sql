-- Meta's WhatsApp Cloud API as a project's upstream (the On-Premises client stays the
-- other kind). A Meta app signs the notifications it posts and names the callback URL;
-- a Cloud project is a phone-number-id in a WhatsApp Business Account, called with an
-- access token. Secrets are encrypted like upstream passwords.

CREATE TABLE meta_apps (
    id                INTEGER PRIMARY KEY,
    app_id            TEXT    NOT NULL UNIQUE,
    name              TEXT    NOT NULL,
    app_secret_enc    TEXT    NOT NULL,
    verify_token_enc  TEXT    NOT NULL,
    graph_url         TEXT    NOT NULL,
    graph_version     TEXT    NOT NULL,
    created_at        BIGINT  NOT NULL
);

-- 'onprem' (upstream_url, user, password) or 'cloud' (the columns below).
ALTER TABLE projects ADD COLUMN upstream_kind TEXT NOT NULL DEFAULT 'onprem';
ALTER TABLE projects ADD COLUMN meta_app_id BIGINT REFERENCES meta_apps (id);
ALTER TABLE projects ADD COLUMN phone_number_id TEXT;
ALTER TABLE projects ADD COLUMN waba_id TEXT;
ALTER TABLE projects ADD COLUMN access_token_enc TEXT NOT NULL DEFAULT '';
-- The token's last four characters, what the console shows of it (`••••` and these).
ALTER TABLE projects ADD COLUMN access_token_last4 TEXT NOT NULL DEFAULT '';
-- Why the access token needs replacing (Meta answered 190, 10 or 200), until it works again.
ALTER TABLE projects ADD COLUMN token_problem TEXT;
CREATE UNIQUE INDEX projects_phone_number_id ON projects (phone_number_id)
    WHERE phone_number_id IS NOT NULL;

-- What Meta posts that is not a partner's notification (template and number updates, …)
-- and notifications for a phone-number-id no project has: kept for the console, for the
-- retention period, never forwarded.
CREATE TABLE meta_changes (
    id               INTEGER PRIMARY KEY,
    meta_app_id      BIGINT  NOT NULL REFERENCES meta_apps (id),
    project_id       BIGINT  REFERENCES projects (id),
    waba_id          TEXT    NOT NULL DEFAULT '',
    phone_number_id  TEXT    NOT NULL DEFAULT '',
    field            TEXT    NOT NULL,
    value            TEXT    NOT NULL,
    received_at      BIGINT  NOT NULL
);
CREATE INDEX meta_changes_received ON meta_changes (received_at);
CREATE INDEX meta_changes_project ON meta_changes (project_id, field, id);
