-- The core schema: who produces what, the diary of each lot, the stamps on
-- the packages and what consumers ask about them. Constraints do the
-- guarding: composite foreign keys keep every lot, stamp and diary entry
-- inside one facility, whatever the application does.

-- +goose Up
CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- The key for hashing sender URNs in lookups: phone numbers are too few to
-- hide behind a plain hash. gen_random_uuid draws from a strong source.
INSERT INTO settings (key, value)
VALUES ('urn_hash_key', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

CREATE TABLE facilities (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    address          text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    province         text NOT NULL DEFAULT '' CHECK (length(province) <= 100),
    phone            text NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+[1-9][0-9]{6,14}$'),
    -- Counters kept in the transaction that changes them, so serials and lot
    -- codes continue per facility and the agency's totals need no scan of
    -- hundreds of millions of stamps.
    last_serial      bigint NOT NULL DEFAULT 0 CHECK (last_serial >= 0),
    last_lot_number  integer NOT NULL DEFAULT 0 CHECK (last_lot_number >= 0),
    stamps_activated bigint NOT NULL DEFAULT 0 CHECK (stamps_activated >= 0),
    stamps_void      bigint NOT NULL DEFAULT 0 CHECK (stamps_void >= 0),
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id    bigint NOT NULL REFERENCES facilities (id),
    code           text NOT NULL CHECK (code ~ '^[A-Z0-9]{2,16}$'),
    name           text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    ocop_stars     smallint CHECK (ocop_stars BETWEEN 3 AND 5),
    description    text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    story          text NOT NULL DEFAULT '' CHECK (length(story) <= 20000),
    certifications text[] NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (facility_id, code),
    UNIQUE (facility_id, id)
);

CREATE TABLE members (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id bigint NOT NULL REFERENCES facilities (id),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    lang        text NOT NULL DEFAULT 'vi' CHECK (lang IN ('vi', 'en')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (facility_id, id)
);
CREATE INDEX members_facility_idx ON members (facility_id);

-- One URN reaches one member: the number or account is how the gateway
-- knows who is writing.
CREATE TABLE member_urns (
    urn        text PRIMARY KEY CHECK (urn ~ '^(tel:\+[1-9][0-9]{6,14}|telegram:[1-9][0-9]{0,19})$'),
    member_id  bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX member_urns_member_idx ON member_urns (member_id);

CREATE TABLE lots (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id bigint NOT NULL REFERENCES facilities (id),
    product_id  bigint NOT NULL,
    code        text NOT NULL CHECK (code ~ '^L[1-9][0-9]{0,8}$'),
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 1600),
    opened_by   bigint,
    opened_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (facility_id, code),
    UNIQUE (facility_id, id),
    FOREIGN KEY (facility_id, product_id) REFERENCES products (facility_id, id),
    FOREIGN KEY (facility_id, opened_by) REFERENCES members (facility_id, id)
);

CREATE TABLE diary_entries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id bigint NOT NULL,
    lot_id      bigint NOT NULL,
    step        text NOT NULL CHECK (step IN ('sow', 'plant', 'feed', 'spray', 'water',
                                              'harvest', 'process', 'pack', 'other')),
    happened_at timestamptz NOT NULL DEFAULT now(),
    quantity    numeric(15, 3) CHECK (quantity > 0),
    unit        text CHECK (unit IN ('kg', 'g', 'tan', 'ta', 'yen', 'l', 'ml', 'bao',
                                     'con', 'cay', 'm2', 'ha', 'cong')),
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 1600),
    photo_ref   text CHECK (length(photo_ref) <= 500),
    latitude    double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude   double precision CHECK (longitude BETWEEN -180 AND 180),
    member_id   bigint NOT NULL,
    channel     text NOT NULL CHECK (channel ~ '^[a-z]{2,16}$'),
    message_ref text CHECK (length(message_ref) <= 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    undone_at   timestamptz,
    CHECK ((quantity IS NULL) = (unit IS NULL)),
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    FOREIGN KEY (facility_id, lot_id) REFERENCES lots (facility_id, id),
    FOREIGN KEY (facility_id, member_id) REFERENCES members (facility_id, id)
);
CREATE INDEX diary_entries_lot_idx ON diary_entries (lot_id, happened_at) WHERE undone_at IS NULL;
CREATE INDEX diary_entries_member_idx ON diary_entries (member_id, created_at) WHERE undone_at IS NULL;

CREATE TABLE stamp_batches (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id  bigint NOT NULL REFERENCES facilities (id),
    first_serial bigint NOT NULL CHECK (first_serial > 0),
    count        integer NOT NULL CHECK (count BETWEEN 1 AND 1000000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (facility_id, id)
);
CREATE INDEX stamp_batches_facility_idx ON stamp_batches (facility_id, first_serial);

-- A stamp is known by its facility and serial (how rolls are activated) and
-- by its code (what consumers type); both keys are natural, so there is no
-- surrogate id to index on hundreds of millions of rows.
CREATE TABLE stamps (
    facility_id  bigint NOT NULL,
    serial       bigint NOT NULL CHECK (serial > 0),
    code         text NOT NULL CHECK (code ~ '^[0-9A-HJKMNP-TV-Z]{9}$'),
    batch_id     bigint NOT NULL,
    state        text NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'activated', 'void')),
    lot_id       bigint,
    activated_at timestamptz,
    voided_at    timestamptz,
    PRIMARY KEY (facility_id, serial),
    CHECK (state <> 'issued' OR lot_id IS NULL),
    CHECK (state <> 'activated' OR (lot_id IS NOT NULL AND activated_at IS NOT NULL)),
    CHECK (state <> 'void' OR voided_at IS NOT NULL),
    FOREIGN KEY (facility_id, batch_id) REFERENCES stamp_batches (facility_id, id),
    FOREIGN KEY (facility_id, lot_id) REFERENCES lots (facility_id, id)
);
CREATE UNIQUE INDEX stamps_code_key ON stamps (code);
CREATE INDEX stamps_lot_idx ON stamps (lot_id) WHERE lot_id IS NOT NULL;

-- Every lookup, whatever its verdict; unknown and mistyped codes too, since
-- they are how counterfeits show. No foreign key on code for that reason.
CREATE TABLE lookups (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code      text NOT NULL CHECK (length(code) <= 64),
    verdict   text NOT NULL CHECK (verdict IN ('genuine', 'not_activated', 'void', 'suspicious',
                                               'unknown', 'mistyped')),
    channel   text NOT NULL CHECK (channel ~ '^[a-z]{2,16}$'),
    urn_hash  bytea NOT NULL,
    looked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lookups_code_idx ON lookups (code, urn_hash) INCLUDE (looked_at);
CREATE INDEX lookups_time_idx ON lookups (looked_at);
-- The agency's "which codes look counterfeit" reads only the flagged few.
CREATE INDEX lookups_flagged_idx ON lookups (verdict, code) WHERE verdict <> 'genuine';

CREATE TABLE feedback (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id bigint NOT NULL REFERENCES facilities (id),
    product_id  bigint,
    code        text NOT NULL REFERENCES stamps (code),
    channel     text NOT NULL CHECK (channel ~ '^[a-z]{2,16}$'),
    urn         text NOT NULL CHECK (length(urn) BETWEEN 1 AND 200),
    body        text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 1600),
    created_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (facility_id, product_id) REFERENCES products (facility_id, id)
);
CREATE INDEX feedback_facility_idx ON feedback (facility_id, created_at);
CREATE INDEX feedback_code_idx ON feedback (code);

-- +goose Down
DROP TABLE feedback;
DROP TABLE lookups;
DROP TABLE stamps;
DROP TABLE stamp_batches;
DROP TABLE diary_entries;
DROP TABLE lots;
DROP TABLE member_urns;
DROP TABLE members;
DROP TABLE products;
DROP TABLE facilities;
DROP TABLE settings;
