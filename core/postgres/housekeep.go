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
// 30 days, who looked at a lot after 90 days, and the provider ids no
// provider can still retry or report on; it rolls up what the rollup job
// has not counted yet, so retention sees a current mark, and makes the
// coming months' partitions (it returns rows pruned and day rows rolled
// up). It keeps every month: see
// HousekeepRetaining.
func (db *DB) Housekeep(ctx context.Context) (int64, error) {
	return db.HousekeepRetaining(ctx, 0)
}

// HousekeepRetaining is Housekeep that also detaches the months of
// lookups and messages that ended more than retentionMonths months before
// this one (0 keeps them all), after the rollup has counted them.
func (db *DB) HousekeepRetaining(ctx context.Context, retentionMonths int) (int64, error) {
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
		// A webhook is retried within a day (Zalo's for about 2 hours):
		// a week of inbound keys drops every retry.
		fmt.Sprintf(`DELETE FROM inbound_keys WHERE received_at < now() - interval '%d days'`, InboundKeyDays),
		// Delivery reports come days late at most; a send's key outlives
		// any SMS validity period, and its month.
		fmt.Sprintf(`DELETE FROM outbound_keys WHERE sent_at < now() - interval '%d days'`, OutboundKeyDays),
	} {
		tag, err := db.q.Exec(ctx, sql)
		if err != nil {
			return n, fmt.Errorf("housekeeping: %w", err)
		}
		n += tag.RowsAffected()
	}
	// The rollup first: a month of lookups goes only once it is counted.
	days, err := db.Rollup(ctx, time.Now())
	if err != nil {
		return n + int64(days), err
	}
	_, err = db.MaintainPartitions(ctx, time.Now(), retentionMonths)
	return n + int64(days), err
}

// How long the unique keys of messages are kept (see migration 00021).
const (
	InboundKeyDays  = 7
	OutboundKeyDays = 62
)
