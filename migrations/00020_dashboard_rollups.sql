-- The dashboard and the totals read daily rollups, so they cost the same
-- at a province's volume and a country's: lookups and activations counted
-- by Vietnamese day (and lookups by product), kept for every day that has
-- closed, by a periodic job; what happened since is counted live, a day's
-- worth at most. Codes that answered suspicious or unknown are kept apart
-- as the lookups happen (rare, so cheap), for the flagged list and its
-- counts.

-- +goose Up
-- The product a lookup was about, kept on it, so a day's lookups are
-- counted by product without a join to the stamps; filled in for the
-- lookups made so far.
ALTER TABLE lookups ADD COLUMN product_id bigint;
UPDATE lookups k SET product_id = l.product_id
FROM stamps s JOIN lots l ON l.id = s.lot_id WHERE s.code = k.code;
-- What the live part reads of the day's lookups is in the index itself.
DROP INDEX lookups_time_idx;
CREATE INDEX lookups_time_idx ON lookups (looked_at) INCLUDE (product_id);

CREATE TABLE lookup_days (
    day        date NOT NULL,
    product_id bigint NOT NULL DEFAULT 0, -- 0: a code on no product (unknown, mistyped, not activated)
    n          bigint NOT NULL CHECK (n >= 0),
    PRIMARY KEY (day, product_id)
);

CREATE TABLE activation_days (
    day date PRIMARY KEY,
    n   bigint NOT NULL CHECK (n >= 0)
);

-- Every day before upto (a Vietnamese midnight) is rolled up; null until
-- the first rollup, which starts at the first row's day.
CREATE TABLE rollup_marks (
    name text PRIMARY KEY CHECK (name IN ('lookups', 'activations')),
    upto timestamptz
);
INSERT INTO rollup_marks (name) VALUES ('lookups'), ('activations');

CREATE TABLE code_flags (
    code     text NOT NULL CHECK (length(code) <= 64),
    verdict  text NOT NULL CHECK (verdict IN ('suspicious', 'unknown')),
    lookups  bigint NOT NULL CHECK (lookups > 0),
    first_at timestamptz NOT NULL,
    last_at  timestamptz NOT NULL,
    PRIMARY KEY (code, verdict)
);
CREATE INDEX code_flags_last_idx ON code_flags (verdict, last_at DESC);
INSERT INTO code_flags (code, verdict, lookups, first_at, last_at)
SELECT code, verdict, count(*), min(looked_at), max(looked_at) FROM lookups
WHERE verdict IN ('suspicious', 'unknown') GROUP BY code, verdict;

-- +goose Down
DROP TABLE code_flags;
DROP TABLE rollup_marks;
DROP TABLE activation_days;
DROP TABLE lookup_days;
DROP INDEX lookups_time_idx;
ALTER TABLE lookups DROP COLUMN product_id;
CREATE INDEX lookups_time_idx ON lookups (looked_at);
