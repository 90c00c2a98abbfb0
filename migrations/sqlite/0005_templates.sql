-- Message templates per project (one WhatsApp account): the name, category and the status
-- staff record, with the translations as JSON (language, header, body, footer, buttons,
-- samples), checked by the same Rust code in the browser, on save and in the gateway.

CREATE TABLE templates (
    id                INTEGER PRIMARY KEY,
    project_id        BIGINT  NOT NULL REFERENCES projects (id),
    name              TEXT    NOT NULL,
    category          TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    rejection_reason  TEXT    NOT NULL DEFAULT '',
    translations      TEXT    NOT NULL,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    UNIQUE (project_id, name)
);
