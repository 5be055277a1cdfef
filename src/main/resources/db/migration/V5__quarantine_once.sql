-- A bad record re-read inside the pollers' overlap window is quarantined once, not on every poll:
-- each row carries a digest of (source, record id, reason, raw JSON) and equal digests are skipped.
ALTER TABLE quarantine ADD COLUMN digest VARCHAR(64);
CREATE INDEX quarantine_digest_idx ON quarantine (digest);
