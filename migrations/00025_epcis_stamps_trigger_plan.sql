-- The stamps trigger's query joins its transition tables, whose sizes the
-- planner knows only when it plans. PL/pgSQL keeps a statement's plan for
-- the connection's life: planned first for a lookup's one-row update (a
-- nested loop), it was kept for a bulk activation on the same connection,
-- where a nested loop over 100,000 rows each side runs for half an hour.
-- EXECUTE plans the query each time, for the rows it has (a hash join
-- for many); planning once a statement costs well under a millisecond.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION epcis_outbox_stamps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $q$
    INSERT INTO epcis_outbox (lot_id, kind, at)
    SELECT lot_id, kind, at FROM (
        SELECT n.lot_id, 'activation' AS kind, n.activated_at AS at
        FROM new_rows n JOIN old_rows o ON (o.facility_id, o.serial) = (n.facility_id, n.serial)
        WHERE n.activated_at IS NOT NULL AND n.activated_at IS DISTINCT FROM o.activated_at
        UNION
        SELECT n.lot_id, 'void', n.voided_at
        FROM new_rows n JOIN old_rows o ON (o.facility_id, o.serial) = (n.facility_id, n.serial)
        WHERE n.state = 'void' AND o.state <> 'void' AND n.lot_id IS NOT NULL
    ) ev ORDER BY lot_id, kind
    $q$;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION epcis_outbox_stamps() RETURNS trigger LANGUAGE plpgsql AS $$
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
