-- What the message trace shows beyond the list: the partner's request headers (secrets
-- left out) and the gateway's answer when a check refused the message.

ALTER TABLE messages ADD COLUMN request_headers TEXT;
ALTER TABLE messages ADD COLUMN decision_detail TEXT;
-- Status filters (failed, refused) page through their own index.
CREATE INDEX messages_status_created ON messages (status, created_at, id);
