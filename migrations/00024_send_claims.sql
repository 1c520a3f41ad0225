-- A turn is claimed by the gateway process that will send it, in the
-- same transaction that gives it: the process's own workers send it, with
-- no job in between. claimed_by names the process (gateway_processes.id),
-- so the turns of one that died go back in line while a slow one keeps
-- its own. Turns given before this migration were River jobs, which no
-- process works any more: their messages are in line again.

-- +goose Up
ALTER TABLE messages ADD COLUMN claimed_by text;
UPDATE messages SET slot_at = NULL WHERE status = 'queued' AND slot_at IS NOT NULL;
-- +goose StatementBegin
DO $$
BEGIN
    IF to_regclass('river_job') IS NOT NULL THEN
        DELETE FROM river_job WHERE kind = 'send_message' AND state IN ('available', 'scheduled', 'retryable', 'running');
    END IF;
END $$;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE messages DROP COLUMN claimed_by;
