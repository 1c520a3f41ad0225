package postgres

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/locales"
)

// PartitionsAhead is how many months after this one have their partitions
// made already: a quarter of housekeeping may fail before a message or a
// lookup has no month to go to.
const PartitionsAhead = 3

// partitionLockTimeout bounds the wait for the tables' locks: attaching
// and detaching wait for the statements running on them, and every
// statement after would queue behind the wait. Giving up is safe; the
// next hour tries again.
const partitionLockTimeout = "5s"

// A monthly table, split by migration 00021. bound writes a month's first
// instant as a value of the partition key; held says why a month past the
// retention must stay attached for now ("" when it may go).
type monthly struct {
	table string
	key   string
	bound func(start time.Time) string
	held  func(ctx context.Context, tx pgx.Tx, partition string, end time.Time) (string, error)
}

var monthlyTables = []monthly{
	{table: "lookups", key: "looked_at", bound: timeBound, held: lookupsHeld},
	{table: "messages", key: "id", bound: func(start time.Time) string { return "message_id_at(" + timeBound(start) + ")" }, held: messagesHeld},
}

// PartitionChanges is what one run of MaintainPartitions did: the
// partitions it made and detached, and the months past the retention it
// left attached, with the reason.
type PartitionChanges struct {
	Created, Detached []string
	Held              map[string]string
}

// MaintainPartitions makes the monthly partitions from this month to
// PartitionsAhead months ahead (and any month between the newest one and
// this, with the rows the DEFAULT partition took for it), and, when
// retentionMonths > 0, detaches the months that ended more than that many
// months before this one began. A detached month stays as its own table
// (lookups_p202501) for the operator to archive (pg_dump -t) and drop.
//
// It runs under one advisory lock, so gateways running it at once make
// each partition once. Plain DETACH takes an ACCESS EXCLUSIVE lock on the
// parent for a moment (DETACH ... CONCURRENTLY cannot run in the
// transaction that holds the lock); both wait at most
// partitionLockTimeout for the tables' locks.
func (db *DB) MaintainPartitions(ctx context.Context, now time.Time, retentionMonths int) (*PartitionChanges, error) {
	if retentionMonths < 0 {
		return nil, fmt.Errorf("partitions: retention of %d months", retentionMonths)
	}
	ch := &PartitionChanges{Held: map[string]string{}}
	this := monthOf(now)
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		// Another gateway doing the same is waited for whatever it takes:
		// when it is done, there is nothing left to do.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('tracegate partitions', 0))`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '`+partitionLockTimeout+`'`); err != nil {
			return err
		}
		for _, m := range monthlyTables {
			months, err := attachedMonths(ctx, tx, m.table)
			if err != nil {
				return fmt.Errorf("%s: %w", m.table, err)
			}
			if err := m.create(ctx, tx, months, this, ch); err != nil {
				return fmt.Errorf("%s: %w", m.table, err)
			}
			if retentionMonths == 0 {
				continue
			}
			if err := m.detach(ctx, tx, months, this.AddDate(0, -retentionMonths, 0), ch); err != nil {
				return fmt.Errorf("%s: %w", m.table, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("partitions: %w", err)
	}
	return ch, nil
}

// create makes every month missing from the newest attached one (or this
// month, when that is later) to PartitionsAhead months after this one.
func (m monthly) create(ctx context.Context, tx pgx.Tx, months []time.Time, this time.Time, ch *PartitionChanges) error {
	from := this
	if n := len(months); n > 0 && months[n-1].Before(this) {
		from = months[n-1].AddDate(0, 1, 0)
	}
	for month := from; !month.After(this.AddDate(0, PartitionsAhead, 0)); month = month.AddDate(0, 1, 0) {
		if slices.ContainsFunc(months, month.Equal) {
			continue
		}
		name, err := m.createMonth(ctx, tx, month)
		if err != nil {
			return err
		}
		ch.Created = append(ch.Created, name)
	}
	return nil
}

// createMonth makes a month's table, moves into it what the DEFAULT
// partition holds of its range, and attaches it: ATTACH needs only a
// SHARE UPDATE EXCLUSIVE lock on the parent, where CREATE TABLE ...
// PARTITION OF would stop every reader of the table for the while.
func (m monthly) createMonth(ctx context.Context, tx pgx.Tx, month time.Time) (string, error) {
	name := partitionName(m.table, month)
	table, part := pgx.Identifier{m.table}.Sanitize(), pgx.Identifier{name}.Sanitize()
	from, to := m.bound(month), m.bound(month.AddDate(0, 1, 0))
	if _, err := tx.Exec(ctx, `CREATE TABLE `+part+` (LIKE `+table+` INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`); err != nil {
		return "", fmt.Errorf("create %s: %w", name, err)
	}
	def, err := defaultPartition(ctx, tx, m.table)
	if err != nil {
		return "", err
	}
	if def != "" {
		_, err := tx.Exec(ctx, `
			WITH moved AS (DELETE FROM `+pgx.Identifier{def}.Sanitize()+` WHERE `+m.key+` >= `+from+` AND `+m.key+` < `+to+` RETURNING *)
			INSERT INTO `+part+` SELECT * FROM moved`)
		if err != nil {
			return "", fmt.Errorf("move %s's rows from %s: %w", name, def, err)
		}
	}
	if _, err := tx.Exec(ctx, `ALTER TABLE `+table+` ATTACH PARTITION `+part+` FOR VALUES FROM (`+from+`) TO (`+to+`)`); err != nil {
		return "", fmt.Errorf("attach %s: %w", name, err)
	}
	return name, nil
}

// detach detaches every month before cutoff that nothing holds.
func (m monthly) detach(ctx context.Context, tx pgx.Tx, months []time.Time, cutoff time.Time, ch *PartitionChanges) error {
	for _, month := range months {
		if !month.Before(cutoff) {
			break
		}
		name := partitionName(m.table, month)
		why, err := m.held(ctx, tx, name, month.AddDate(0, 1, 0))
		if err != nil {
			return fmt.Errorf("may %s go: %w", name, err)
		}
		if why != "" {
			ch.Held[name] = why
			continue
		}
		if _, err := tx.Exec(ctx, `ALTER TABLE `+pgx.Identifier{m.table}.Sanitize()+` DETACH PARTITION `+pgx.Identifier{name}.Sanitize()); err != nil {
			return fmt.Errorf("detach %s: %w", name, err)
		}
		ch.Detached = append(ch.Detached, name)
	}
	return nil
}

// lookupsHeld keeps a month of lookups the daily rollup has not counted
// whole yet: the dashboard's and the totals' past comes from the rollup
// alone, so it must have the month before the rows go.
func lookupsHeld(ctx context.Context, tx pgx.Tx, partition string, end time.Time) (string, error) {
	var counted, empty bool
	err := tx.QueryRow(ctx, `
		SELECT coalesce((SELECT upto >= $1 FROM rollup_marks WHERE name = 'lookups'), false),
		       NOT EXISTS (SELECT 1 FROM `+pgx.Identifier{partition}.Sanitize()+`)`, end).Scan(&counted, &empty)
	if err != nil || counted || empty {
		return "", err
	}
	return "not rolled up into lookup_days yet", nil
}

// messagesHeld keeps a month that still has a message waiting to be
// sent: detaching it would drop the send.
func messagesHeld(ctx context.Context, tx pgx.Tx, partition string, _ time.Time) (string, error) {
	var queued bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+pgx.Identifier{partition}.Sanitize()+` WHERE status = 'queued')`).Scan(&queued)
	if err != nil || !queued {
		return "", err
	}
	return "a message in it is still queued", nil
}

// partitionPattern is how the migration and this file name a month.
var partitionPattern = regexp.MustCompile(`^[a-z]+_p(\d{4})(\d{2})$`)

// attachedMonths lists the months a table has partitions for, oldest
// first, by their names (the bounds of the months before migration 00021
// are old ids, not times).
func attachedMonths(ctx context.Context, tx pgx.Tx, table string) ([]time.Time, error) {
	rows, err := tx.Query(ctx, `
		SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = $1::regclass`, table)
	if err != nil {
		return nil, fmt.Errorf("list partitions: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list partitions: %w", err)
	}
	var months []time.Time
	for _, name := range names {
		if month, ok := parsePartitionName(table, name); ok {
			months = append(months, month)
		}
	}
	slices.SortFunc(months, time.Time.Compare)
	return months, nil
}

// defaultPartition names a table's DEFAULT partition, "" when it has none.
func defaultPartition(ctx context.Context, tx pgx.Tx, table string) (string, error) {
	var name string
	err := tx.QueryRow(ctx, `
		SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partdefid
		WHERE p.partrelid = $1::regclass`, table).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("default partition of %s: %w", table, err)
	}
	return name, nil
}

// partitionName is a month's partition: lookups_p202612.
func partitionName(table string, month time.Time) string {
	return table + "_p" + month.Format("200601")
}

// parsePartitionName reads the month of one of table's partitions.
func parsePartitionName(table, name string) (time.Time, bool) {
	sub := partitionPattern.FindStringSubmatch(name)
	if sub == nil || name[:len(name)-len("_p200601")] != table {
		return time.Time{}, false
	}
	month, err := time.ParseInLocation("200601", sub[1]+sub[2], locales.Vietnam)
	return month, err == nil
}

// monthOf is the Vietnamese month t is in, as its first instant: months
// are the agency's, like the rollup's days.
func monthOf(t time.Time) time.Time {
	v := t.In(locales.Vietnam)
	return time.Date(v.Year(), v.Month(), 1, 0, 0, 0, 0, locales.Vietnam)
}

// timeBound writes an instant as a timestamptz literal (digits, dashes,
// colons and a sign only, so it is safe in DDL, which takes no parameters).
func timeBound(t time.Time) string {
	return "'" + t.Format("2006-01-02 15:04:05-07:00") + "'::timestamptz"
}
