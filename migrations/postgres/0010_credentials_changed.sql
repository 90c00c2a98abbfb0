-- When a user's password last changed: a console session records it at login and ends
-- when it no longer matches (a changed or reset password logs out the other sessions).
ALTER TABLE users ADD COLUMN credentials_changed_at BIGINT NOT NULL DEFAULT 0;
