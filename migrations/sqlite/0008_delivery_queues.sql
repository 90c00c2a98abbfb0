-- Claims walk each project's queue on its own (oldest due first), so one project's
-- backlog behind a hanging webhook is never scanned while claiming for the others.
CREATE INDEX deliveries_queue ON deliveries (status, project_id, next_attempt_at, id);
