-- Every event taken from the feed, so that a repeated eventId (a sender's retry) has no further
-- effect, also after a restart. Written in the same transaction as the event's effects.
CREATE TABLE processed_event (
    event_id      VARCHAR(200) PRIMARY KEY,
    type          VARCHAR(40)  NOT NULL,
    processed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX processed_event_at_idx ON processed_event (processed_at);

-- Silences: mute by kind, pharmacy, chain or order until a time. A muted alert is still
-- recorded and listed, only not delivered.
CREATE TABLE silence (
    id          VARCHAR(64)  PRIMARY KEY,
    kind        VARCHAR(64),
    store_id    VARCHAR(64),
    chain_id    VARCHAR(64),
    order_id    VARCHAR(64),
    until_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    comment     VARCHAR(1000),
    created_by  VARCHAR(200),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    origin      VARCHAR(16)  NOT NULL   -- api or config
);
