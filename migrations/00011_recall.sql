-- A lot can be recalled, by its facility or the agency: it is closed, and
-- every stamp of it answers "recalled" first, on every channel. Those who
-- looked one of its stamps up are told: lot_watchers keeps, for 90 days
-- and for that alone, who looked at which lot (lookups keep only a keyed
-- hash of the sender).

-- +goose Up
ALTER TABLE lots DROP CONSTRAINT lots_status_check;
ALTER TABLE lots ADD CONSTRAINT lots_status_check CHECK (status IN ('open', 'closed', 'recalled'));
ALTER TABLE lots
    ADD COLUMN recalled_at   timestamptz,
    ADD COLUMN recall_reason text NOT NULL DEFAULT '' CHECK (length(recall_reason) <= 500),
    ADD CHECK ((status = 'recalled') = (recalled_at IS NOT NULL));
ALTER TABLE lookups DROP CONSTRAINT lookups_verdict_check;
ALTER TABLE lookups ADD CONSTRAINT lookups_verdict_check
    CHECK (verdict IN ('genuine', 'not_activated', 'void', 'suspicious', 'unknown', 'mistyped', 'recalled'));

CREATE TABLE lot_watchers (
    lot_id  bigint NOT NULL REFERENCES lots (id),
    urn     text NOT NULL CHECK (length(urn) BETWEEN 3 AND 200),
    seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (lot_id, urn)
);
CREATE INDEX lot_watchers_seen_idx ON lot_watchers (seen_at);

-- +goose Down
DROP TABLE lot_watchers;
ALTER TABLE lookups DROP CONSTRAINT lookups_verdict_check;
ALTER TABLE lookups ADD CONSTRAINT lookups_verdict_check
    CHECK (verdict IN ('genuine', 'not_activated', 'void', 'suspicious', 'unknown', 'mistyped'));
ALTER TABLE lots DROP COLUMN recall_reason, DROP COLUMN recalled_at;
ALTER TABLE lots DROP CONSTRAINT lots_status_check;
ALTER TABLE lots ADD CONSTRAINT lots_status_check CHECK (status IN ('open', 'closed'));
