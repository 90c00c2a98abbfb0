-- The notification pipeline is kept as long as the message log: the purge finds old
-- events and notifications by time, and deleting a parent row checks its children by
-- these keys (a trace also finds a message's deliveries by event).
CREATE INDEX events_created ON events (created_at, id);
CREATE INDEX events_notification ON events (notification_id);
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX notifications_received ON notifications (received_at, id);
