-- A member taken off a facility in the console: their phone and chat
-- accounts are unlinked, so they no longer keep its diary or hear its
-- notices, but the member row stays, since what they recorded is theirs.

-- +goose Up
ALTER TABLE members ADD COLUMN removed_at timestamptz;

-- +goose Down
ALTER TABLE members DROP COLUMN removed_at;
