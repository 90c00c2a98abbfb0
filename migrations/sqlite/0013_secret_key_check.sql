-- A value encrypted with the server's secret key when the key was first used with this
-- database: at start-up the server decrypts it, so a wrong or new key file is refused
-- before any stored secret (upstream passwords, webhook headers) is needed.

CREATE TABLE secret_key_check (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    value       TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
