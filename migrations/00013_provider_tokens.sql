-- A provider's token pair (the Zalo OA's), one row per provider. Zalo's
-- refresh tokens are single-use and each refresh rotates both, so the pair
-- lives here, shared by every gateway process: the one that refreshes
-- stores the new pair in the transaction that holds the refresh lock, and
-- the others read it.

-- +goose Up
CREATE TABLE provider_tokens (
    provider      text PRIMARY KEY CHECK (provider ~ '^[a-z]{2,16}$'),
    access_token  text NOT NULL DEFAULT '',
    refresh_token text NOT NULL,
    -- the epoch until the first refresh: a seeded row is refreshed at once.
    expires_at    timestamptz NOT NULL DEFAULT 'epoch',
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE provider_tokens;
