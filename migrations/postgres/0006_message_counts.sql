-- Messages per project, hour, status and error codes, kept up to date with every write to
-- the message log, so the overview's charts read a few thousand rows instead of millions.

CREATE TABLE message_counts (
    project_id   BIGINT  NOT NULL REFERENCES projects (id),
    -- created_at / 3600000 of the messages counted
    hour         BIGINT  NOT NULL,
    status       TEXT    NOT NULL,
    error_codes  TEXT    NOT NULL,
    n            BIGINT  NOT NULL,
    PRIMARY KEY (project_id, hour, status, error_codes)
);
CREATE INDEX message_counts_hour ON message_counts (hour);

INSERT INTO message_counts (project_id, hour, status, error_codes, n)
SELECT project_id, created_at / 3600000, status, error_codes, COUNT(*) FROM messages GROUP BY project_id, created_at / 3600000, status, error_codes;
