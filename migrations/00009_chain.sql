-- One step back and one step forward: what went into a lot (inputs) and
-- where it went (shipments). A supplier or buyer that is a facility here is
-- linked, not only named, so a shipment to it can become one of its lots'
-- inputs and the chain crosses facilities. Counted units join the diary's:
-- chai (bottle), hop (box), goi (pack), thung (carton).

-- +goose Up
ALTER TABLE diary_entries DROP CONSTRAINT diary_entries_unit_check;
ALTER TABLE diary_entries ADD CONSTRAINT diary_entries_unit_check
    CHECK (unit IN ('kg', 'g', 'tan', 'ta', 'yen', 'l', 'ml', 'bao', 'con', 'cay', 'm2', 'ha', 'cong',
                    'chai', 'hop', 'goi', 'thung'));

CREATE TABLE lot_shipments (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id       bigint NOT NULL,
    lot_id            bigint NOT NULL,
    quantity          numeric(15, 3) NOT NULL CHECK (quantity > 0),
    unit              text NOT NULL CHECK (unit ~ '^[a-z0-9]{1,8}$'),
    buyer_name        text NOT NULL DEFAULT '' CHECK (length(buyer_name) <= 200),
    buyer_facility_id bigint REFERENCES facilities (id),
    shipped_at        timestamptz NOT NULL DEFAULT now(),
    member_id         bigint NOT NULL,
    channel           text NOT NULL CHECK (channel ~ '^[a-z]{2,16}$'),
    message_ref       text CHECK (length(message_ref) <= 200),
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (buyer_facility_id IS DISTINCT FROM facility_id),
    FOREIGN KEY (facility_id, lot_id) REFERENCES lots (facility_id, id),
    FOREIGN KEY (facility_id, member_id) REFERENCES members (facility_id, id)
);
CREATE INDEX lot_shipments_lot_idx ON lot_shipments (lot_id, shipped_at);
CREATE INDEX lot_shipments_buyer_idx ON lot_shipments (buyer_facility_id, shipped_at) WHERE buyer_facility_id IS NOT NULL;

CREATE TABLE lot_inputs (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id          bigint NOT NULL,
    lot_id               bigint NOT NULL,
    what                 text NOT NULL CHECK (length(btrim(what)) BETWEEN 1 AND 200),
    quantity             numeric(15, 3) CHECK (quantity > 0),
    unit                 text CHECK (unit ~ '^[a-z0-9]{1,8}$'),
    supplier_name        text NOT NULL DEFAULT '' CHECK (length(supplier_name) <= 200),
    supplier_facility_id bigint REFERENCES facilities (id),
    supplier_lot         text NOT NULL DEFAULT '' CHECK (length(supplier_lot) <= 50),
    -- The shipment it was taken from, when a registered supplier shipped it:
    -- the supplier's lot is then known for certain. Taken once.
    shipment_id          bigint UNIQUE REFERENCES lot_shipments (id),
    supplier_lot_id      bigint REFERENCES lots (id),
    member_id            bigint NOT NULL,
    channel              text NOT NULL CHECK (channel ~ '^[a-z]{2,16}$'),
    message_ref          text CHECK (length(message_ref) <= 200),
    created_at           timestamptz NOT NULL DEFAULT now(),
    CHECK ((quantity IS NULL) = (unit IS NULL)),
    CHECK (supplier_lot_id IS NULL OR supplier_facility_id IS NOT NULL),
    FOREIGN KEY (facility_id, lot_id) REFERENCES lots (facility_id, id),
    FOREIGN KEY (facility_id, member_id) REFERENCES members (facility_id, id)
);
CREATE INDEX lot_inputs_lot_idx ON lot_inputs (lot_id, created_at);
CREATE INDEX lot_inputs_supplier_lot_idx ON lot_inputs (supplier_lot_id) WHERE supplier_lot_id IS NOT NULL;

-- +goose Down
DROP TABLE lot_inputs;
DROP TABLE lot_shipments;
ALTER TABLE diary_entries DROP CONSTRAINT diary_entries_unit_check;
ALTER TABLE diary_entries ADD CONSTRAINT diary_entries_unit_check
    CHECK (unit IN ('kg', 'g', 'tan', 'ta', 'yen', 'l', 'ml', 'bao', 'con', 'cay', 'm2', 'ha', 'cong'));
