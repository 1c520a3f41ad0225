-- Zalo accounts become members' URNs, linked by a one-time code: the
-- member texts LIENKET from the phone they were registered with and sends
-- the code back from the chat account. A code is kept only as a keyed
-- hash, lives ten minutes and links once; an account that sends five
-- wrong codes is locked out for an hour.

-- +goose Up
ALTER TABLE member_urns DROP CONSTRAINT member_urns_urn_check;
ALTER TABLE member_urns ADD CONSTRAINT member_urns_urn_check
    CHECK (urn ~ '^(tel:\+[1-9][0-9]{6,14}|telegram:[1-9][0-9]{0,19}|zalo:[0-9]{1,32})$');

CREATE TABLE link_codes (
    code_hash  bytea PRIMARY KEY,
    member_id  bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
);
CREATE INDEX link_codes_member_idx ON link_codes (member_id);

-- Wrong codes by the account that sent them, and its lockout.
CREATE TABLE link_attempts (
    urn          text PRIMARY KEY CHECK (length(urn) BETWEEN 3 AND 200),
    failures     integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    failed_at    timestamptz,
    locked_until timestamptz
);

-- +goose Down
DROP TABLE link_attempts;
DROP TABLE link_codes;
DELETE FROM member_urns WHERE urn LIKE 'zalo:%';
ALTER TABLE member_urns DROP CONSTRAINT member_urns_urn_check;
ALTER TABLE member_urns ADD CONSTRAINT member_urns_urn_check
    CHECK (urn ~ '^(tel:\+[1-9][0-9]{6,14}|telegram:[1-9][0-9]{0,19})$');
