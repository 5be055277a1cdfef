-- Tickets: each alert an escalation rule matches waits here until it is due (startedAt plus the rule's
-- wait), then becomes one ledger delivery (a ticket), or raises TICKET_INCOMPLETE while a required fact
-- is missing. One row per alert fingerprint: one ticket per alert, however often it is re-evaluated.
CREATE TABLE ticket_watch (
    fingerprint  VARCHAR(300)  PRIMARY KEY,
    rule         VARCHAR(100)  NOT NULL,
    order_id     VARCHAR(64),
    due_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    state        VARCHAR(16)   NOT NULL,               -- WAITING, INCOMPLETE, OPENED
    missing      VARCHAR(500),                         -- INCOMPLETE: the facts it lacks
    facts        TEXT,                                 -- OPENED: the facts the ticket was opened with (JSON)
    delivery_id  BIGINT,                               -- OPENED: the ticket's delivery in the ledger
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ticket_watch_due_idx ON ticket_watch (state, due_at);
