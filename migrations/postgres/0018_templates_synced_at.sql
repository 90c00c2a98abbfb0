-- When a Cloud project's template library was last read whole from Meta: from then on a
-- template name it lacks is one Meta does not have (the gateway refuses it with 2001).
ALTER TABLE projects ADD COLUMN templates_synced_at BIGINT;
