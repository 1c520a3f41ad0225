-- Answers that expose a copied stamp. A genuine code's first verification
-- is kept on the stamp (when, by which channel, by whom as a keyed hash),
-- so a later buyer is told the code was checked before. A batch may carry
-- hidden PINs: a stamp's PIN is derived from its code with pin_key and
-- never stored; the stamp keeps only whether it has one and when it was
-- used. A lookup records what was done with a PIN, and reports of fakes
-- say where a suspected copy was bought.

-- +goose Up
INSERT INTO settings (key, value)
VALUES ('pin_key', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

ALTER TABLE stamp_batches ADD COLUMN pin boolean NOT NULL DEFAULT false;

ALTER TABLE stamps
    ADD COLUMN has_pin                boolean NOT NULL DEFAULT false,
    ADD COLUMN pin_used_at            timestamptz,
    ADD COLUMN pin_used_channel       text CHECK (pin_used_channel ~ '^[a-z]{2,16}$'),
    ADD COLUMN first_verified_at      timestamptz,
    ADD COLUMN first_verified_channel text CHECK (first_verified_channel ~ '^[a-z]{2,16}$'),
    ADD COLUMN first_verified_by      bytea,
    ADD CONSTRAINT stamps_pin_used_check CHECK (pin_used_at IS NULL OR has_pin);

-- What lookups already happened says who verified each genuine stamp first.
UPDATE stamps s SET first_verified_at = f.looked_at, first_verified_channel = f.channel, first_verified_by = f.urn_hash
FROM (SELECT DISTINCT ON (code) code, looked_at, channel, urn_hash
      FROM lookups WHERE verdict IN ('genuine', 'suspicious') ORDER BY code, looked_at, id) f
WHERE s.code = f.code;

-- pin: the PIN given with the lookup was right (first use), already used,
-- or wrong; null when none was given.
ALTER TABLE lookups ADD COLUMN pin text CHECK (pin IN ('first', 'reused', 'wrong'));

CREATE TABLE fake_reports (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text NOT NULL CHECK (length(code) BETWEEN 1 AND 64), -- as read: it may be no stamp's
    facility_id     bigint REFERENCES facilities (id),                   -- the stamp's, when it is one
    place           text NOT NULL CHECK (length(place) BETWEEN 1 AND 500),
    district        text CHECK (length(district) <= 100),                -- parsed from place, if known
    commune         text CHECK (length(commune) <= 100),
    channel         text NOT NULL CHECK (channel ~ '^[a-z]{2,16}$'),
    reporter_hash   bytea NOT NULL,
    reporter_masked text NOT NULL CHECK (length(reporter_masked) <= 64),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fake_reports_code_idx ON fake_reports (code, created_at);
CREATE INDEX fake_reports_facility_idx ON fake_reports (facility_id, created_at) WHERE facility_id IS NOT NULL;
CREATE INDEX fake_reports_time_idx ON fake_reports (created_at);

-- +goose Down
DROP TABLE fake_reports;
ALTER TABLE lookups DROP COLUMN pin;
ALTER TABLE stamps DROP CONSTRAINT stamps_pin_used_check,
    DROP COLUMN has_pin, DROP COLUMN pin_used_at, DROP COLUMN pin_used_channel,
    DROP COLUMN first_verified_at, DROP COLUMN first_verified_channel, DROP COLUMN first_verified_by;
ALTER TABLE stamp_batches DROP COLUMN pin;
DELETE FROM settings WHERE key = 'pin_key';
