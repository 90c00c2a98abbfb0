-- A customer's number is kept only as long as the message log keeps their messages: the
-- retention purge finds contacts silent since before the cutoff by this index.
CREATE INDEX contacts_last_inbound ON contacts (last_inbound_at);
