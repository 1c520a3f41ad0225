-- Requests counted per client over a window, across every gateway
-- process: the web's lookups per address. The key is a keyed hash of the
-- client, so no address is kept.

-- +goose Up
CREATE TABLE request_counts (
    key          bytea PRIMARY KEY,
    window_start timestamptz NOT NULL,
    count        integer NOT NULL CHECK (count > 0)
);

-- +goose Down
DROP TABLE request_counts;
