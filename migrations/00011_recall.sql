-- A lot can be recalled, by its facility or the agency: it is closed, and
-- every stamp of it answers "recalled" first, on every channel.

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

-- +goose Down
ALTER TABLE lookups DROP CONSTRAINT lookups_verdict_check;
ALTER TABLE lookups ADD CONSTRAINT lookups_verdict_check
    CHECK (verdict IN ('genuine', 'not_activated', 'void', 'suspicious', 'unknown', 'mistyped'));
ALTER TABLE lots DROP COLUMN recall_reason, DROP COLUMN recalled_at;
ALTER TABLE lots DROP CONSTRAINT lots_status_check;
ALTER TABLE lots ADD CONSTRAINT lots_status_check CHECK (status IN ('open', 'closed'));
