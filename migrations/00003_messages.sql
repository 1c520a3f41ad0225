-- Every message in and out. An inbound message is stored, unique per
-- channel and provider id, before the provider hears back; an outbound one
-- is stored with the job that sends it, in the same transaction as what
-- caused it.

-- +goose Up
CREATE TABLE messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    direction   text NOT NULL CHECK (direction IN ('in', 'out')),
    kind        text NOT NULL CHECK (kind IN ('inbound', 'reply', 'notice')),
    channel     text NOT NULL CHECK (channel ~ '^[a-z]{2,16}$'),
    urn         text NOT NULL CHECK (length(urn) BETWEEN 3 AND 200),
    text        text NOT NULL,
    -- What the channel needs besides the text: a photo and a place coming
    -- in, a keyboard going out.
    meta        jsonb,
    provider_id text CHECK (length(provider_id) <= 200),
    in_reply_to bigint REFERENCES messages (id),
    status      text NOT NULL CHECK (status IN ('received', 'queued', 'sent', 'delivered',
                                                'failed', 'suppressed')),
    segments    integer CHECK (segments >= 0),
    error       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((direction = 'in') = (kind = 'inbound')),
    CHECK (direction = 'out' OR provider_id IS NOT NULL)
);
CREATE UNIQUE INDEX messages_inbound_key ON messages (channel, provider_id) WHERE direction = 'in';
CREATE UNIQUE INDEX messages_outbound_key ON messages (channel, provider_id)
    WHERE direction = 'out' AND provider_id IS NOT NULL;
CREATE INDEX messages_urn_idx ON messages (urn, id);

-- A delivery report that arrives before the send answer waits here for
-- its message to learn its provider id.
CREATE TABLE early_reports (
    channel     text NOT NULL,
    provider_id text NOT NULL,
    status      text NOT NULL CHECK (status IN ('sent', 'delivered', 'failed')),
    error       text,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, provider_id)
);

-- Send slots shared by every gateway process: the next moment a send
-- under a rate key may go.
CREATE TABLE send_slots (
    key     text PRIMARY KEY,
    next_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE send_slots;
DROP TABLE early_reports;
DROP TABLE messages;
