-- A lot is open until its facility closes it: a closed lot takes no more
-- diary entries or activations, and says so.

-- +goose Up
ALTER TABLE lots
    ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    ADD COLUMN closed_at timestamptz,
    ADD CHECK ((status = 'open') = (closed_at IS NULL));

-- +goose Down
ALTER TABLE lots DROP COLUMN closed_at, DROP COLUMN status;
