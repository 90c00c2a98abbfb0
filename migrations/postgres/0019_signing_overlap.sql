-- A rotated signing secret keeps signing for the overlap chosen (none, 1 h, 24 h, 7 d),
-- so a partner can deploy the new secret first; when each secret was made, for the page.
ALTER TABLE webhook_configs ADD COLUMN signing_secret_created_at BIGINT;
ALTER TABLE webhook_configs ADD COLUMN previous_secret_enc TEXT;
ALTER TABLE webhook_configs ADD COLUMN previous_secret_created_at BIGINT;
ALTER TABLE webhook_configs ADD COLUMN previous_secret_expires_at BIGINT;
