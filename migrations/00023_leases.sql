-- Named locks that hold across gateway processes when a transaction pooler
-- (PgBouncer in transaction mode) stands between them and Postgres: there
-- a session's advisory lock cannot be held, since every transaction may
-- run on another server connection. A lease is a row with an expiry its
-- holder renews while it holds it; a holder that dies stops renewing, and
-- the lease is free again once it expires. Times are the database's clock,
-- so gateways' clocks do not matter.

-- +goose Up
CREATE TABLE leases (
    name       text PRIMARY KEY,
    holder     text NOT NULL,
    expires_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE leases;
