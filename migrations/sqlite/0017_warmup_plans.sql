-- A Cloud number's warm-up plan: daily caps on new business-initiated conversations,
-- one step a day from its start (the last step holds after).
CREATE TABLE warmup_plans (
    project_id  BIGINT  PRIMARY KEY REFERENCES projects (id),
    caps        TEXT    NOT NULL,
    starts_at   BIGINT  NOT NULL
);
