-- Status notifications for an upstream message id the log does not hold yet (the
-- gateway writes its log rows in batches, a moment after answering the partner). They
-- are applied as soon as the row is there; ones that never match are dropped after a day.
CREATE TABLE waiting_statuses (
    id                   INTEGER PRIMARY KEY,
    project_id           BIGINT  NOT NULL REFERENCES projects (id),
    upstream_message_id  TEXT    NOT NULL,
    status               TEXT    NOT NULL,
    received_at          BIGINT  NOT NULL
);
CREATE INDEX waiting_statuses_received ON waiting_statuses (received_at);
