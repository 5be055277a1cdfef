-- Whether each admin API source (orders, stores) is failing, and since when, shared by every
-- instance: the one that re-evaluates open orders may not be the one that polls, and a SOURCE_DOWN
-- counted from the first failure must survive a restart or a take-over.
CREATE TABLE source_health (
    source         VARCHAR(64)   PRIMARY KEY,
    failing_since  TIMESTAMP WITH TIME ZONE NOT NULL,
    problem        VARCHAR(1000) NOT NULL
);
