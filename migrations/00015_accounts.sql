-- Logins to the web console, their sessions, the failed logins that limit
-- guessing, and the audit log of every change made through the console.
-- Every rule that must hold across gateway processes is checked here, by
-- the database's clock: a session's expiry, the login limit's window, and
-- that the audit log is only ever appended to.

-- +goose Up
CREATE TABLE accounts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login         text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    role          text NOT NULL CHECK (role IN ('agency', 'facility')),
    facility_id   bigint REFERENCES facilities (id),
    -- A PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash): the
    -- parameters travel with each hash, so they can be raised later.
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'facility') = (facility_id IS NOT NULL))
);
CREATE INDEX accounts_facility_idx ON accounts (facility_id) WHERE facility_id IS NOT NULL;

-- A session is found by the SHA-256 of its cookie: a copy of the table
-- logs no one in.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    account_id   bigint NOT NULL REFERENCES accounts (id),
    csrf         text NOT NULL CHECK (length(csrf) BETWEEN 32 AND 64),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_account_idx ON sessions (account_id);

-- One row per failed login, counted per login and per client over the
-- window. Both are keyed hashes: people type their password into the login
-- field, and a client's address is nobody's business.
CREATE TABLE login_failures (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login_key  bytea NOT NULL,
    client_key bytea NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_login_idx ON login_failures (login_key, failed_at);
CREATE INDEX login_failures_client_idx ON login_failures (client_key, failed_at);
CREATE INDEX login_failures_at_idx ON login_failures (failed_at);

-- The log outlives what it names, so facility_id has no foreign key: a
-- facility removed some day must not need its history changed. Accounts
-- are disabled, never removed, so who did it always resolves; an account
-- is null for a change made outside the console (the command line).
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    account_id  bigint REFERENCES accounts (id),
    login       text NOT NULL CHECK (length(login) BETWEEN 1 AND 100),
    action      text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.-]{0,63}$'),
    object      text NOT NULL CHECK (object ~ '^[a-z][a-z0-9_-]{0,63}$'),
    object_id   bigint NOT NULL DEFAULT 0,
    facility_id bigint CHECK (facility_id > 0),
    before      jsonb,
    after       jsonb
);
-- FindAudit reads one facility's entries, or everyone's, newest first.
CREATE INDEX audit_log_facility_idx ON audit_log (facility_id, id DESC) WHERE facility_id IS NOT NULL;

-- Append-only for everyone, the gateway's own role and the table's owner
-- included: a statement trigger fires even when no row matches, so not even
-- an attempt passes. (A superuser can still drop the trigger; that is a
-- schema change, seen in the migrations, not an edit.)
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE accounts;
