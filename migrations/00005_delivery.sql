-- Delivery as a deployment needs it: a send's turn is given by the
-- database in priority order (replies, then notices, then bulk), a
-- failed send waits for its next try on the message itself, provider ids
-- are unique per recipient (Telegram numbers messages inside each chat),
-- and every gateway process says it is alive so that the sends of one that
-- died are taken up again.

-- +goose Up
ALTER TABLE messages
    ADD COLUMN priority   smallint NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
    ADD COLUMN attempts   integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    ADD COLUMN not_before timestamptz,
    ADD COLUMN slot_at    timestamptz;

DROP INDEX messages_outbound_key;
CREATE UNIQUE INDEX messages_outbound_key ON messages (channel, provider_id, urn)
    WHERE direction = 'out' AND provider_id IS NOT NULL;

-- The dispatcher's line: what waits on a channel, best first.
CREATE INDEX messages_queued_idx ON messages (channel, priority, id) WHERE status = 'queued';

CREATE TABLE gateway_processes (
    id         text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at    timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE gateway_processes;
DROP INDEX messages_queued_idx;
DROP INDEX messages_outbound_key;
CREATE UNIQUE INDEX messages_outbound_key ON messages (channel, provider_id)
    WHERE direction = 'out' AND provider_id IS NOT NULL;
ALTER TABLE messages DROP COLUMN slot_at, DROP COLUMN not_before, DROP COLUMN attempts, DROP COLUMN priority;
