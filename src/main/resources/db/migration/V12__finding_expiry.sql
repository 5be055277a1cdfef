-- Findings raised by integrators' routes (direct:raise-finding) with a time to live ("resolve": "30m"):
-- such an alert resolves once it has not been raised again for that long (route expire-findings). A
-- finding resolved by a call ("resolve": "call") has no row here.
CREATE TABLE finding_expiry (
    fingerprint  VARCHAR(300) PRIMARY KEY,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX finding_expiry_due_idx ON finding_expiry (expires_at);
