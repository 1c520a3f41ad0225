-- The agency's dashboard counts activations per week; without this index
-- that is a scan of every stamp in the country.

-- +goose Up
CREATE INDEX stamps_activated_at_idx ON stamps (activated_at) WHERE activated_at IS NOT NULL;

-- +goose Down
DROP INDEX stamps_activated_at_idx;
