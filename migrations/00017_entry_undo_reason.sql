-- An entry undone from the console says why: the agency reads it in the
-- audit log, the producer beside the entry. A member's own XOA, within
-- its 24 hours, needs none.

-- +goose Up
ALTER TABLE diary_entries ADD COLUMN undo_reason text CHECK (length(undo_reason) BETWEEN 1 AND 500);

-- +goose Down
ALTER TABLE diary_entries DROP COLUMN undo_reason;
