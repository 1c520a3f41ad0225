-- A PIN's use remembers who used it, so the first buyer entering it again
-- (a page reloaded, an SMS sent twice) is told it was their own and
-- makes no one suspicious. The tries a stamp's PIN takes are counted on
-- the stamp, taken one at a time under its row lock, so a burst of
-- guesses cannot pass the hourly limit together.

-- +goose Up
ALTER TABLE stamps
    ADD COLUMN pin_used_by     bytea,
    ADD COLUMN pin_tries       integer NOT NULL DEFAULT 0 CHECK (pin_tries >= 0),
    ADD COLUMN pin_tries_since timestamptz;
ALTER TABLE lookups DROP CONSTRAINT lookups_pin_check;
ALTER TABLE lookups ADD CONSTRAINT lookups_pin_check CHECK (pin IN ('first', 'own', 'reused', 'wrong'));

-- +goose Down
ALTER TABLE lookups DROP CONSTRAINT lookups_pin_check;
UPDATE lookups SET pin = 'reused' WHERE pin = 'own';
ALTER TABLE lookups ADD CONSTRAINT lookups_pin_check CHECK (pin IN ('first', 'reused', 'wrong'));
ALTER TABLE stamps DROP COLUMN pin_used_by, DROP COLUMN pin_tries, DROP COLUMN pin_tries_since;
