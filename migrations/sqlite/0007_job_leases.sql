-- Periodic jobs that must run once across all instances (the message log's retention
-- purge): whoever takes the lease runs the job; the others skip until it runs out.

CREATE TABLE job_leases (
    name    TEXT    PRIMARY KEY,
    holder  TEXT    NOT NULL,
    until   BIGINT  NOT NULL
);
INSERT INTO job_leases (name, holder, until) VALUES ('message_retention', '', 0);
