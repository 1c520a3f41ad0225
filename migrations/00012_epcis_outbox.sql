-- Every new fact about a lot is pushed to an EPCIS repository's capture
-- endpoint (EPCIS_CAPTURE_URL) through this outbox. Triggers fill it in the
-- transaction that records the fact, so a fact that commits is never lost
-- and one that rolls back is never pushed, whichever service wrote it.
-- A row names one event as the history finds it: the lot, the kind, the
-- event's time and, for a diary entry, input or shipment, its row (ref);
-- the pusher reads that event back at push time and sends it as an
-- EPCISDocument. Rows are written whether or not a repository is set, so
-- setting one later pushes what happened since this migration.
-- Statement-level triggers with transition tables: an activation of a
-- thousand stamps is one row (one event, as the history groups stamps by
-- lot and transaction time), not a thousand.

-- +goose Up
CREATE TABLE epcis_outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lot_id      bigint NOT NULL REFERENCES lots (id),
    kind        text NOT NULL CHECK (kind IN ('activation', 'void', 'diary', 'input', 'shipment', 'recall')),
    at          timestamptz NOT NULL,
    ref         bigint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- pending until the repository accepts it (pushed) or refuses it for
    -- good (failed); skipped when the event is gone (an undone entry).
    state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'pushed', 'failed', 'skipped')),
    attempts    int NOT NULL DEFAULT 0,
    -- next_at is when a pending row is due: now, after a backoff, or after
    -- the lease of the pusher that claimed it (if that pusher died).
    next_at     timestamptz NOT NULL DEFAULT now(),
    location    text,
    last_error  text,
    settled_at  timestamptz
);
CREATE INDEX epcis_outbox_due_idx ON epcis_outbox (next_at, id) WHERE state = 'pending';
CREATE INDEX epcis_outbox_settled_idx ON epcis_outbox (settled_at) WHERE state <> 'pending';

-- +goose StatementBegin
CREATE FUNCTION epcis_outbox_diary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO epcis_outbox (lot_id, kind, at, ref)
    SELECT lot_id, 'diary', happened_at, id FROM new_rows WHERE undone_at IS NULL ORDER BY id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER epcis_outbox_diary AFTER INSERT ON diary_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION epcis_outbox_diary();

-- +goose StatementBegin
CREATE FUNCTION epcis_outbox_input() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO epcis_outbox (lot_id, kind, at, ref)
    SELECT lot_id, 'input', created_at, id FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER epcis_outbox_input AFTER INSERT ON lot_inputs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION epcis_outbox_input();

-- +goose StatementBegin
CREATE FUNCTION epcis_outbox_shipment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO epcis_outbox (lot_id, kind, at, ref)
    SELECT lot_id, 'shipment', shipped_at, id FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER epcis_outbox_shipment AFTER INSERT ON lot_shipments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION epcis_outbox_shipment();

-- +goose StatementBegin
CREATE FUNCTION epcis_outbox_recall() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO epcis_outbox (lot_id, kind, at)
    SELECT n.id, 'recall', n.recalled_at
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.status = 'recalled' AND o.status <> 'recalled' ORDER BY n.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER epcis_outbox_recall AFTER UPDATE ON lots
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION epcis_outbox_recall();

-- One row per lot and time, as the history groups stamps into events.
-- +goose StatementBegin
CREATE FUNCTION epcis_outbox_stamps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO epcis_outbox (lot_id, kind, at)
    SELECT lot_id, kind, at FROM (
        SELECT n.lot_id, 'activation' AS kind, n.activated_at AS at
        FROM new_rows n JOIN old_rows o ON (o.facility_id, o.serial) = (n.facility_id, n.serial)
        WHERE n.activated_at IS NOT NULL AND n.activated_at IS DISTINCT FROM o.activated_at
        UNION
        SELECT n.lot_id, 'void', n.voided_at
        FROM new_rows n JOIN old_rows o ON (o.facility_id, o.serial) = (n.facility_id, n.serial)
        WHERE n.state = 'void' AND o.state <> 'void' AND n.lot_id IS NOT NULL
    ) ev ORDER BY lot_id, kind;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER epcis_outbox_stamps AFTER UPDATE ON stamps
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION epcis_outbox_stamps();

-- +goose Down
DROP TRIGGER epcis_outbox_stamps ON stamps;
DROP TRIGGER epcis_outbox_recall ON lots;
DROP TRIGGER epcis_outbox_shipment ON lot_shipments;
DROP TRIGGER epcis_outbox_input ON lot_inputs;
DROP TRIGGER epcis_outbox_diary ON diary_entries;
DROP FUNCTION epcis_outbox_stamps();
DROP FUNCTION epcis_outbox_recall();
DROP FUNCTION epcis_outbox_shipment();
DROP FUNCTION epcis_outbox_input();
DROP FUNCTION epcis_outbox_diary();
DROP TABLE epcis_outbox;
