-- A contact is anyone who writes to us, member or not: the language they
-- chose, whether they stopped notices, and the question the bot is waiting
-- on, so that any gateway process can carry the conversation on.

-- +goose Up
CREATE TABLE contacts (
    urn           text PRIMARY KEY CHECK (length(urn) BETWEEN 3 AND 200),
    lang          text CHECK (lang IN ('vi', 'en')),
    stopped_at    timestamptz,
    pending       jsonb,
    pending_until timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((pending IS NULL) = (pending_until IS NULL))
);

-- +goose Down
DROP TABLE contacts;
