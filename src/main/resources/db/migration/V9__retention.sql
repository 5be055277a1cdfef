-- Retention (store/Retention, route purge-old-state) deletes old rows in bounded batches; these indexes
-- let each batch find its oldest rows without a walk of the table.
CREATE INDEX alert_resolved_idx ON alert (state, resolved_at);
CREATE INDEX sink_alert_resolved_idx ON sink_alert (state, received_at);
CREATE INDEX notification_log_sent_idx ON notification_log (sent_at);
CREATE INDEX order_snapshot_final_idx ON order_snapshot (open, seen_at);
CREATE INDEX silence_until_idx ON silence (until_at);

-- The highest version of any alert that retention deleted. An alert that fires again after its row was
-- deleted starts above it, so its changes never reuse an event id (fingerprint#version:state) that the
-- outbox, the broker's duplicate detection or a sink's view has already seen.
CREATE TABLE alert_version_floor (
    id                  INT     PRIMARY KEY,
    max_purged_version  BIGINT  NOT NULL
);
INSERT INTO alert_version_floor (id, max_purged_version) VALUES (1, 0);
