-- lookups and messages grow for as long as the system runs, so both are
-- split by month (Vietnamese months, the agency's calendar) with native
-- RANGE partitioning: old months can be detached and archived without a
-- DELETE over hundreds of millions of rows, and the queries that name a
-- time range or an id read only the months they need. The partitions are
-- named <table>_pYYYYMM; core/postgres/partitions.go creates them three
-- months ahead every hour (and at every migration), and detaches months
-- past RETENTION_MONTHS.
--
-- lookups is partitioned by looked_at: every read of it but the per-code
-- history names a time range (the rollup, the dashboard's live day, the
-- totals), and those prune to one or two months. The per-code history
-- (all time, and 30 days) probes lookups_code_idx once per month kept.
-- A DEFAULT partition takes a lookup no month covers (a looked_at given
-- from far back, a clock far off), so none is refused; the job moves such
-- rows into their month when it creates it.
--
-- messages is partitioned by id, and ids are made time-ordered:
-- (milliseconds since 2020-01-01 UTC << 12) | 12 bits of a sequence, so a
-- month is a range of ids. Every hot path addresses a message by id
-- (MarkSent, MarkFailed, ReturnTurn, Requeue, the dispatcher's turns) and
-- WHERE id = $1 prunes to one partition, where partitioning by created_at
-- would probe every month's index. The ids stay below 2^53 (until 2089),
-- so JSON readers that use doubles (JavaScript, jq) read them exactly;
-- 4,096 ids a millisecond is far beyond the gateway's pace, and a lap of
-- the sequence inside one millisecond would be a primary-key error, not a
-- silent duplicate. The ids made before this migration are kept (River's
-- send jobs name them); they are small, so each month before this one is
-- the range of old ids from its first message on. messages has no
-- DEFAULT partition: its ids come only from the database's clock, always
-- months inside the created ones, and without one the newest-first reads
-- by URN (a member's last channel, the operator's history) scan months
-- in order and stop at the first match instead of probing every month.
--
-- A unique index on a partitioned table must contain the partition key,
-- so the two uniqueness rules on messages move to small, unpartitioned
-- key tables that housekeeping prunes once no provider can still use a
-- key:
--   inbound_keys (channel, provider_id): a webhook's retry is dropped,
--     even across a month's edge, for 7 days (Zalo retries for about 2
--     hours; Twilio, Kannel and Telegram within a day);
--   outbound_keys (channel, provider_id, urn) -> message id: unique per
--     recipient as before, and how a delivery report finds its message
--     (by id, so one partition) for 62 days, longer than any SMS validity
--     period a carrier applies, and enough for a report on a message of
--     last month.
-- messages.in_reply_to loses its foreign key: a reply sent just after a
-- month's edge points at the inbound message of the month before, and the
-- key would forbid ever detaching that month. The pipeline sets it only
-- to the message it has just stored in the same transaction.

-- +goose Up
CREATE FUNCTION message_id_at(t timestamptz) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN floor(extract(epoch FROM t - timestamptz '2020-01-01 00:00:00+00') * 1000)::bigint << 12;

CREATE SEQUENCE message_id_seq AS bigint;

-- clock_timestamp, not now(): one transaction that stores a million
-- notices must not reuse a millisecond's 4,096 ids.
CREATE FUNCTION next_message_id() RETURNS bigint
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    RETURN message_id_at(clock_timestamp()) | (nextval('message_id_seq') & 4095);

-- Renamed, not dropped yet: its rows are copied below, and its index and
-- constraint names are wanted by the new tables.
ALTER TABLE messages RENAME TO messages_unpartitioned;
ALTER TABLE messages_unpartitioned DROP CONSTRAINT messages_in_reply_to_fkey;
ALTER TABLE messages_unpartitioned DROP CONSTRAINT messages_pkey;
DROP INDEX messages_inbound_key, messages_outbound_key, messages_urn_idx, messages_queued_idx;

CREATE TABLE messages (
    id          bigint NOT NULL DEFAULT next_message_id(),
    direction   text NOT NULL CONSTRAINT messages_direction_check CHECK (direction IN ('in', 'out')),
    kind        text NOT NULL CONSTRAINT messages_kind_check CHECK (kind IN ('inbound', 'reply', 'notice')),
    channel     text NOT NULL CONSTRAINT messages_channel_check CHECK (channel ~ '^[a-z]{2,16}$'),
    urn         text NOT NULL CONSTRAINT messages_urn_check CHECK (length(urn) BETWEEN 3 AND 200),
    text        text NOT NULL,
    meta        jsonb,
    provider_id text CONSTRAINT messages_provider_id_check CHECK (length(provider_id) <= 200),
    in_reply_to bigint,
    status      text NOT NULL CONSTRAINT messages_status_check CHECK (status IN ('received', 'queued', 'sent',
                                                                                  'delivered', 'failed', 'suppressed')),
    segments    integer CONSTRAINT messages_segments_check CHECK (segments >= 0),
    error       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    priority    smallint NOT NULL DEFAULT 2 CONSTRAINT messages_priority_check CHECK (priority BETWEEN 1 AND 3),
    attempts    integer NOT NULL DEFAULT 0 CONSTRAINT messages_attempts_check CHECK (attempts >= 0),
    not_before  timestamptz,
    slot_at     timestamptz,
    CONSTRAINT messages_check CHECK ((direction = 'in') = (kind = 'inbound')),
    CONSTRAINT messages_check1 CHECK (direction = 'out' OR provider_id IS NOT NULL)
) PARTITION BY RANGE (id);

CREATE TABLE lookups_partitioned (
    id         bigint NOT NULL,
    code       text NOT NULL CONSTRAINT lookups_code_check CHECK (length(code) <= 64),
    verdict    text NOT NULL CONSTRAINT lookups_verdict_check
                   CHECK (verdict IN ('genuine', 'not_activated', 'void', 'suspicious', 'unknown', 'mistyped', 'recalled')),
    channel    text NOT NULL CONSTRAINT lookups_channel_check CHECK (channel ~ '^[a-z]{2,16}$'),
    urn_hash   bytea NOT NULL,
    looked_at  timestamptz NOT NULL DEFAULT now(),
    pin        text CONSTRAINT lookups_pin_check CHECK (pin IN ('first', 'own', 'reused', 'wrong')),
    product_id bigint
) PARTITION BY RANGE (looked_at);
CREATE TABLE lookups_default PARTITION OF lookups_partitioned DEFAULT;

-- Where each month's old ids begin: the lowest id of any message made in
-- that month or later (ids were handed out as messages were made, a
-- transaction's start and its insert a moment apart).
CREATE TEMPORARY TABLE old_message_months ON COMMIT DROP AS
SELECT month, min(lo) OVER (ORDER BY month DESC) AS lo
FROM (SELECT date_trunc('month', created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS month, min(id) AS lo
      FROM messages_unpartitioned GROUP BY 1) m;

-- The months that hold rows, this month and the next two. A month's
-- partition is made as its own table and attached, as the periodic job
-- does, so the job and this migration agree on what a partition is.
-- +goose StatementBegin
DO $$
DECLARE
    zone constant text := 'Asia/Ho_Chi_Minh';
    this_month constant date := date_trunc('month', now() AT TIME ZONE zone)::date;
    last_month constant date := (this_month + interval '2 months')::date;
    m date;
    lo bigint;
    hi bigint;
    old_max bigint;
BEGIN
    -- lookups: a month is [its first instant, the next month's first).
    SELECT least(this_month, coalesce(date_trunc('month', min(looked_at) AT TIME ZONE zone)::date, this_month))
    INTO m FROM lookups;
    WHILE m <= last_month LOOP
        EXECUTE format('CREATE TABLE %I (LIKE lookups_partitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                       'lookups_p' || to_char(m, 'YYYYMM'));
        EXECUTE format('ALTER TABLE lookups_partitioned ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                       'lookups_p' || to_char(m, 'YYYYMM'),
                       m::timestamp AT TIME ZONE zone, (m + interval '1 month')::timestamp AT TIME ZONE zone);
        m := (m + interval '1 month')::date;
    END LOOP;

    -- messages: a month before this one is the old ids from its first
    -- message to the next month's first; this month runs from its first
    -- old id to where the time-ordered ids of next month begin; the months
    -- after are time-ordered ids only.
    SELECT max(id) INTO old_max FROM messages_unpartitioned;
    SELECT least(this_month, coalesce(min(month), this_month)) INTO m FROM old_message_months;
    WHILE m <= last_month LOOP
        IF m > this_month OR old_max IS NULL THEN
            lo := message_id_at(m::timestamp AT TIME ZONE zone);
        ELSE
            lo := coalesce((SELECT o.lo FROM old_message_months o WHERE o.month >= m ORDER BY o.month LIMIT 1), old_max + 1);
        END IF;
        IF m >= this_month THEN
            hi := message_id_at((m + interval '1 month')::timestamp AT TIME ZONE zone);
        ELSE
            hi := coalesce((SELECT o.lo FROM old_message_months o WHERE o.month > m ORDER BY o.month LIMIT 1), old_max + 1);
        END IF;
        IF lo < hi THEN -- a month whose old ids all came after the next month's first has none of its own
            EXECUTE format('CREATE TABLE %I (LIKE messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                           'messages_p' || to_char(m, 'YYYYMM'));
            EXECUTE format('ALTER TABLE messages ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',
                           'messages_p' || to_char(m, 'YYYYMM'), lo, hi);
        END IF;
        m := (m + interval '1 month')::date;
    END LOOP;
END
$$;
-- +goose StatementEnd

INSERT INTO messages (id, direction, kind, channel, urn, text, meta, provider_id, in_reply_to, status, segments,
                      error, created_at, updated_at, priority, attempts, not_before, slot_at)
SELECT id, direction, kind, channel, urn, text, meta, provider_id, in_reply_to, status, segments,
       error, created_at, updated_at, priority, attempts, not_before, slot_at
FROM messages_unpartitioned;

INSERT INTO lookups_partitioned (id, code, verdict, channel, urn_hash, looked_at, pin, product_id)
SELECT id, code, verdict, channel, urn_hash, looked_at, pin, product_id FROM lookups;

-- The keys a provider may still use: inbound ones for a week, outbound
-- ones for 62 days (see above).
CREATE TABLE inbound_keys (
    channel     text NOT NULL,
    provider_id text NOT NULL,
    message_id  bigint NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, provider_id)
);
CREATE INDEX inbound_keys_received_idx ON inbound_keys (received_at);
INSERT INTO inbound_keys (channel, provider_id, message_id, received_at)
SELECT channel, provider_id, id, created_at FROM messages_unpartitioned
WHERE direction = 'in' AND created_at > now() - interval '7 days';

CREATE TABLE outbound_keys (
    channel     text NOT NULL,
    provider_id text NOT NULL,
    urn         text NOT NULL,
    message_id  bigint NOT NULL,
    sent_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, provider_id, urn)
);
CREATE INDEX outbound_keys_sent_idx ON outbound_keys (sent_at);
INSERT INTO outbound_keys (channel, provider_id, urn, message_id, sent_at)
SELECT channel, provider_id, urn, id, updated_at FROM messages_unpartitioned
WHERE direction = 'out' AND provider_id IS NOT NULL AND updated_at > now() - interval '62 days';

DROP TABLE messages_unpartitioned;
DROP TABLE lookups;

-- The ids go on from the old table's.
CREATE SEQUENCE lookups_id_seq AS bigint OWNED BY lookups_partitioned.id;
SELECT setval('lookups_id_seq', coalesce(max(id), 0) + 1, false) FROM lookups_partitioned;
ALTER TABLE lookups_partitioned ALTER COLUMN id SET DEFAULT nextval('lookups_id_seq');
ALTER TABLE lookups_partitioned RENAME TO lookups;

-- Every index the queries read, now one per month. A primary key must
-- hold the partition key: messages' is id alone, lookups' (id, looked_at).
ALTER TABLE messages ADD CONSTRAINT messages_pkey PRIMARY KEY (id);
CREATE INDEX messages_urn_idx ON messages (urn, id);
CREATE INDEX messages_queued_idx ON messages (channel, priority, id) WHERE status = 'queued';
ALTER TABLE lookups ADD CONSTRAINT lookups_pkey PRIMARY KEY (id, looked_at);
CREATE INDEX lookups_code_idx ON lookups (code, urn_hash) INCLUDE (looked_at);
CREATE INDEX lookups_time_idx ON lookups (looked_at) INCLUDE (product_id);
CREATE INDEX lookups_flagged_idx ON lookups (verdict, code) WHERE verdict <> 'genuine';

-- +goose Down
-- Back to one table each, with the rows of every month still attached
-- (a detached month stays the operator's table) and the ids as they are.
CREATE TABLE messages_plain (LIKE messages INCLUDING CONSTRAINTS);
INSERT INTO messages_plain SELECT * FROM messages;
CREATE TABLE lookups_plain (LIKE lookups INCLUDING CONSTRAINTS);
INSERT INTO lookups_plain SELECT * FROM lookups;
DROP TABLE messages, lookups, inbound_keys, outbound_keys;
DROP FUNCTION next_message_id();
DROP SEQUENCE message_id_seq;
DROP FUNCTION message_id_at(timestamptz);

ALTER TABLE messages_plain RENAME TO messages;
ALTER TABLE messages ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN updated_at SET DEFAULT now(),
    ALTER COLUMN priority SET DEFAULT 2, ALTER COLUMN attempts SET DEFAULT 0;
ALTER TABLE messages ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('messages', 'id'), coalesce(max(id), 0) + 1, false) FROM messages;
ALTER TABLE messages ADD CONSTRAINT messages_pkey PRIMARY KEY (id);
ALTER TABLE messages ADD CONSTRAINT messages_in_reply_to_fkey FOREIGN KEY (in_reply_to) REFERENCES messages (id) NOT VALID;
CREATE UNIQUE INDEX messages_inbound_key ON messages (channel, provider_id) WHERE direction = 'in';
CREATE UNIQUE INDEX messages_outbound_key ON messages (channel, provider_id, urn)
    WHERE direction = 'out' AND provider_id IS NOT NULL;
CREATE INDEX messages_urn_idx ON messages (urn, id);
CREATE INDEX messages_queued_idx ON messages (channel, priority, id) WHERE status = 'queued';

ALTER TABLE lookups_plain RENAME TO lookups;
ALTER TABLE lookups ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('lookups', 'id'), coalesce(max(id), 0) + 1, false) FROM lookups;
ALTER TABLE lookups ALTER COLUMN looked_at SET DEFAULT now();
ALTER TABLE lookups ADD CONSTRAINT lookups_pkey PRIMARY KEY (id);
CREATE INDEX lookups_code_idx ON lookups (code, urn_hash) INCLUDE (looked_at);
CREATE INDEX lookups_time_idx ON lookups (looked_at) INCLUDE (product_id);
CREATE INDEX lookups_flagged_idx ON lookups (verdict, code) WHERE verdict <> 'genuine';
