-- Secondary indexes no longer lead with "sink". With sink first, a lookup by its unique key
-- (sink, fingerprint) or (sink, dedup_key) looked, to a PostgreSQL planner without statistics yet
-- (a fresh install, the first burst, a table that grew since its last ANALYZE), as cheap through
-- (sink, kind, state) or (sink, subject, ...) as through the key, and it took those: every lookup
-- then filtered all of the sink's rows (1-2 ms each at 10,000 rows, measured in EscalationBenchmark).
-- Led by the column the queries pin besides sink, each serves the same queries and none competes
-- with the unique keys. IF [NOT] EXISTS: H2 commits each statement, so a run cut short can be run again.
DROP INDEX IF EXISTS sink_alert_kind_idx;
CREATE INDEX IF NOT EXISTS sink_alert_kind_idx ON sink_alert (kind, sink, state);

DROP INDEX IF EXISTS delivery_lane_idx;
CREATE INDEX IF NOT EXISTS delivery_lane_idx ON delivery (lane, sink, state, id);

DROP INDEX IF EXISTS delivery_subject_idx;
CREATE INDEX IF NOT EXISTS delivery_subject_idx ON delivery (subject, sink, operation, state);
