-- Each Cloud number as Meta sees it (its last reading), the changes seen between readings
-- (the project's timeline), and each number's messages per second, shared by instances.
CREATE TABLE number_health (
    project_id       BIGINT  PRIMARY KEY REFERENCES projects (id),
    verified_name    TEXT    NOT NULL,
    name_status      TEXT    NOT NULL,
    quality_rating   TEXT    NOT NULL,
    messaging_limit  TEXT    NOT NULL,
    throughput       TEXT    NOT NULL,
    account_status   TEXT    NOT NULL,
    checked_at       BIGINT  NOT NULL
);
CREATE TABLE number_health_changes (
    id          INTEGER PRIMARY KEY,
    project_id  BIGINT  NOT NULL REFERENCES projects (id),
    at          BIGINT  NOT NULL,
    field       TEXT    NOT NULL,
    old_value   TEXT    NOT NULL,
    new_value   TEXT    NOT NULL,
    source      TEXT    NOT NULL
);
CREATE INDEX number_health_changes_project ON number_health_changes (project_id, id);
CREATE TABLE number_throughput (
    project_id  BIGINT  NOT NULL,
    at_second   BIGINT  NOT NULL,
    taken       BIGINT  NOT NULL,
    PRIMARY KEY (project_id, at_second)
);
INSERT INTO job_leases (name, holder, until) VALUES ('number_health', '', 0);
