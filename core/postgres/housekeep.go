package postgres

import (
	"context"
	"fmt"
	"time"

	"tracegate/core"
)

// Housekeep prunes what only matters for a while: delivery reports that
// never met their message, send slots, processes, request counts, albums,
// linking codes and wrong guesses unused for a day, failed console logins
// after a day, expired console sessions, settled EPCIS capture rows after
// 30 days, and who looked at a lot after 90 days; and it rolls up the
// days that closed, for the dashboard (it returns rows pruned and days
// rolled up).
func (db *DB) Housekeep(ctx context.Context) (int64, error) {
	var n int64
	for _, sql := range []string{
		`DELETE FROM early_reports WHERE received_at < now() - interval '1 day'`,
		`DELETE FROM send_slots WHERE next_at < now() - interval '1 day'`,
		`DELETE FROM gateway_processes WHERE seen_at < now() - interval '1 day'`,
		`DELETE FROM request_counts WHERE window_start < now() - interval '1 day'`,
		`DELETE FROM album_photos WHERE received_at < now() - interval '1 day'`,
		`DELETE FROM link_codes WHERE expires_at < now() - interval '1 day'`,
		`DELETE FROM link_attempts WHERE coalesce(failed_at, 'epoch') < now() - interval '1 day' AND coalesce(locked_until, 'epoch') < now()`,
		`DELETE FROM login_failures WHERE failed_at < now() - interval '1 day'`,
		fmt.Sprintf(`DELETE FROM sessions WHERE last_seen_at < now() - interval '%d seconds' OR created_at < now() - interval '%d seconds'`,
			int64(core.SessionIdle.Seconds()), int64(core.SessionMax.Seconds())),
		// Who looked at a lot is kept for a recall's notices, no longer.
		fmt.Sprintf(`DELETE FROM lot_watchers WHERE seen_at < now() - interval '%d seconds'`, int64(core.RecallWindow.Seconds())),
		// What the EPCIS repository has (or refused) is the repository's
		// record after a month; pending rows stay until they are settled.
		`DELETE FROM epcis_outbox WHERE state <> 'pending' AND settled_at < now() - interval '30 days'`,
	} {
		tag, err := db.q.Exec(ctx, sql)
		if err != nil {
			return n, fmt.Errorf("housekeeping: %w", err)
		}
		n += tag.RowsAffected()
	}
	days, err := db.Rollup(ctx, time.Now())
	return n + int64(days), err
}
