package postgres_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/locales"
)

// month is the first instant of the Vietnamese month t is in, moved by
// add months.
func month(t time.Time, add int) time.Time {
	v := t.In(locales.Vietnam)
	return time.Date(v.Year(), v.Month()+time.Month(add), 1, 0, 0, 0, 0, locales.Vietnam)
}

// part names a month's partition of table.
func part(table string, m time.Time) string { return table + "_p" + m.Format("200601") }

// attached lists the partitions of table, by name.
func (s *services) attached(t testing.TB, table string) []string {
	t.Helper()
	rows, err := s.db.Pool.Query(context.Background(), `
		SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = $1::regclass ORDER BY 1`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

// tableOf is the partition that holds the row query selects (its tableoid).
func (s *services) tableOf(t testing.TB, query string, args ...any) string {
	t.Helper()
	var name string
	if err := s.db.Pool.QueryRow(context.Background(), query, args...).Scan(&name); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return name
}

// maintain runs the partition job as if it were at.
func (s *services) maintain(t testing.TB, at time.Time, retention int) *postgres.PartitionChanges {
	t.Helper()
	ch, err := s.db.MaintainPartitions(context.Background(), at, retention)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// moveMessage makes message id one stored at at: its id from that
// moment, so its month's partition, and its keys with it. It returns the
// new id.
func (s *services) moveMessage(t testing.TB, id int64, at time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	var moved int64
	if err := s.db.Pool.QueryRow(ctx, `
		UPDATE messages SET id = message_id_at($2) | (id & 4095), created_at = $2, updated_at = $2
		WHERE id = $1 RETURNING id`, id, at).Scan(&moved); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`UPDATE inbound_keys SET message_id = $2, received_at = $3 WHERE message_id = $1`,
		`UPDATE outbound_keys SET message_id = $2, sent_at = $3 WHERE message_id = $1`,
	} {
		if _, err := s.db.Pool.Exec(ctx, sql, id, moved, at); err != nil {
			t.Fatal(err)
		}
	}
	return moved
}

// A migrated database has this month's partitions and the next three, a
// DEFAULT partition for lookups, none for messages.
func TestPartitionsAfterMigrate(t *testing.T) {
	s := newServices(t)
	now := time.Now()
	for _, table := range []string{"lookups", "messages"} {
		have := s.attached(t, table)
		for i := 0; i <= postgres.PartitionsAhead; i++ {
			if !slices.Contains(have, part(table, month(now, i))) {
				t.Errorf("%s: no partition for %s in %v", table, month(now, i).Format("2006-01"), have)
			}
		}
		if got, want := slices.Contains(have, table+"_default"), table == "lookups"; got != want {
			t.Errorf("%s: default partition %v, want %v", table, got, want)
		}
	}
	// A second run has nothing to do.
	if ch := s.maintain(t, now, 0); len(ch.Created)+len(ch.Detached) != 0 {
		t.Errorf("second run changed %+v", ch)
	}
}

// A lookup goes to the month of its looked_at, edges included; a message
// to the month of its id, which the database makes from its clock, so
// the one a message is read by.
func TestRowsLandInTheirMonth(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	now := time.Now()
	this, next := month(now, 0), month(now, 1)
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{this, part("lookups", this)},
		{next.Add(-time.Microsecond), part("lookups", this)},
		{next, part("lookups", next)},
		{this.Add(-time.Microsecond), "lookups_default"}, // last month has no partition here
	} {
		got := s.tableOf(t, `
			INSERT INTO lookups (code, verdict, channel, urn_hash, looked_at) VALUES ('X', 'unknown', 'sms', '\x00', $1)
			RETURNING tableoid::regclass::text`, c.at)
		if got != c.want {
			t.Errorf("lookup at %s went to %s, want %s", c.at, got, c.want)
		}
	}
	s.look(t, "000000000", "tel:+84977000009", "")
	if got := s.tableOf(t, `SELECT tableoid::regclass::text FROM lookups WHERE code = '000000000'`); got != part("lookups", this) {
		t.Errorf("a lookup made now went to %s", got)
	}

	m := &core.Message{Channel: "sms", URN: "tel:+84977000009", Text: "hi", ProviderID: "SMin1"}
	if stored, err := s.storeInbound(ctx, m); err != nil || !stored {
		t.Fatalf("stored %v, %v", stored, err)
	}
	if got := s.tableOf(t, `SELECT tableoid::regclass::text FROM messages WHERE id = $1`, m.ID); got != part("messages", this) {
		t.Errorf("a message made now went to %s", got)
	}
	if found, err := s.Messages.FindMessage(ctx, m.ID); err != nil || found.Text != "hi" {
		t.Fatalf("found %+v, %v", found, err)
	}
	if got := s.tableOf(t, `SELECT tableoid::regclass::text FROM messages WHERE id = $1`, s.moveMessage(t, m.ID, next)); got != part("messages", next) {
		t.Errorf("a message of next month went to %s", got)
	}
}

// A message is read by id from its month alone, however many months
// there are, also by a prepared statement's generic plan.
func TestMessageByIDReadsOneMonth(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	for m := -12; m < 0; m++ { // a year of months before this one
		s.maintain(t, month(time.Now(), m), 0)
	}
	conn, err := s.db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	for _, sql := range []string{
		`SET plan_cache_mode = force_generic_plan`,
		`PREPARE by_id (bigint) AS UPDATE messages SET slot_at = NULL, updated_at = now() WHERE id = $1 AND status = 'queued'`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	text := explain(t, conn, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE by_id(message_id_at(now()))`)
	if scans := strings.Count(text, "Scan"); scans != 1 || !strings.Contains(text, "Subplans Removed: 15") {
		t.Errorf("the update by id reads %d partitions, want 1 of 16:\n%s", scans, text)
	}
}

// A provider that retries a webhook stored at 23:59:59.9 on a month's last
// day, in the next month, is answered without storing it twice.
func TestInboundDedupAcrossMonthEdge(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	this := month(time.Now(), 0)
	s.maintain(t, month(this, -1), 0)
	first := &core.Message{Channel: "zalo", URN: "zalo:42", Text: "4K7M2QX95", ProviderID: "msg-edge"}
	if stored, err := s.storeInbound(ctx, first); err != nil || !stored {
		t.Fatalf("stored %v, %v", stored, err)
	}
	id := s.moveMessage(t, first.ID, this.Add(-100*time.Millisecond))
	if got := s.tableOf(t, `SELECT tableoid::regclass::text FROM messages WHERE id = $1`, id); got != part("messages", month(this, -1)) {
		t.Fatalf("the first delivery is in %s, not last month's", got)
	}
	retry := &core.Message{Channel: "zalo", URN: "zalo:42", Text: "4K7M2QX95", ProviderID: "msg-edge"}
	if stored, err := s.storeInbound(ctx, retry); err != nil || stored {
		t.Fatalf("the retry was stored %v, %v", stored, err)
	}
	if n := s.count(t, `SELECT count(*) FROM messages WHERE provider_id = 'msg-edge'`); n != 1 {
		t.Errorf("%d messages for one webhook", n)
	}
	// Another channel's same provider id is another message.
	other := &core.Message{Channel: "telegram", URN: "telegram:42", Text: "hi", ProviderID: "msg-edge"}
	if stored, err := s.storeInbound(ctx, other); err != nil || !stored {
		t.Fatalf("another channel's message stored %v, %v", stored, err)
	}
}

// A delivery report on a message sent last month still moves it, and a
// provider id another message already has is refused as before.
func TestDeliveryReportOnLastMonthsMessage(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	this := month(time.Now(), 0)
	s.maintain(t, month(this, -1), 0)
	m := &core.Message{Kind: core.KindReply, Channel: "kannel", URN: "tel:+84912345678", Text: "Hàng chính hãng"}
	if err := s.Messages.StoreOutbound(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := s.Messages.MarkSent(ctx, m.ID, "dlr-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Messages.MarkSent(ctx, m.ID, "dlr-1"); err != nil { // the record retried
		t.Fatalf("the same id recorded again: %v", err)
	}
	id := s.moveMessage(t, m.ID, this.Add(-3*24*time.Hour))
	if err := s.Messages.ReportDelivery(ctx, "kannel", "dlr-1", core.StatusDelivered, ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.Messages.FindMessage(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != core.StatusDelivered {
		t.Errorf("last month's message is %s after its report, want delivered", got.Status)
	}
	if n := s.count(t, `SELECT count(*) FROM early_reports`); n != 0 {
		t.Errorf("the report waits as early: %d", n)
	}

	twin := &core.Message{Kind: core.KindReply, Channel: "kannel", URN: "tel:+84912345678", Text: "again"}
	if err := s.Messages.StoreOutbound(ctx, twin); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Messages.MarkSent(ctx, twin.ID, "dlr-1"), core.ECONFLICT)
	// Provider ids are per recipient: another chat's same id is fine.
	elsewhere := &core.Message{Kind: core.KindReply, Channel: "kannel", URN: "tel:+84912345679", Text: "hi"}
	if err := s.Messages.StoreOutbound(ctx, elsewhere); err != nil {
		t.Fatal(err)
	}
	if err := s.Messages.MarkSent(ctx, elsewhere.ID, "dlr-1"); err != nil {
		t.Fatal(err)
	}
}

// Two gateways running the job at once, several times each, make every
// partition once and fail none of the runs.
func TestPartitionsFromTwoProcessesAtOnce(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	at := month(time.Now(), 6) // this month and the next three exist
	processes := []*services{s, s.process(t)}
	var (
		mu      sync.Mutex
		created []string
		wg      sync.WaitGroup
	)
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch, err := processes[i%2].db.MaintainPartitions(ctx, at, 0)
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			created = append(created, ch.Created...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var want []string
	for _, table := range []string{"lookups", "messages"} {
		for i := 1 + postgres.PartitionsAhead; i <= 6+postgres.PartitionsAhead; i++ {
			want = append(want, part(table, month(time.Now(), i)))
		}
	}
	slices.Sort(created)
	slices.Sort(want)
	if !slices.Equal(created, want) {
		t.Errorf("created %v, want each of %v once", created, want)
	}
	for _, name := range want {
		table := name[:strings.Index(name, "_p")]
		if !slices.Contains(s.attached(t, table), name) {
			t.Errorf("%s is not attached", name)
		}
	}
}

// Lookups that came before their month existed wait in the DEFAULT
// partition and move into the month when it is made.
func TestDefaultRowsMoveIntoTheirMonth(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	old := month(time.Now(), -5).Add(36 * time.Hour)
	if _, err := s.db.Pool.Exec(ctx, `
		INSERT INTO lookups (code, verdict, channel, urn_hash, looked_at) VALUES ('X', 'unknown', 'sms', '\x00', $1)`, old); err != nil {
		t.Fatal(err)
	}
	ch := s.maintain(t, old, 0)
	if !slices.Contains(ch.Created, part("lookups", old)) {
		t.Fatalf("created %v", ch.Created)
	}
	if got := s.tableOf(t, `SELECT tableoid::regclass::text FROM lookups WHERE code = 'X'`); got != part("lookups", old) {
		t.Errorf("the lookup stayed in %s", got)
	}
}

// Retention detaches the months before the kept ones once the rollup has
// counted their lookups and none of their messages waits to be sent; the
// detached tables keep their rows for the operator, and this month and
// the kept ones stay.
func TestRetentionDetachesOnlyOldMonths(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	now := time.Now()
	s.maintain(t, month(now, -3), 0)
	for _, m := range []int{-3, -2, -1, 0} {
		at := month(now, m).Add(40 * time.Hour)
		if m == 0 {
			at = now
		}
		if _, err := s.db.Pool.Exec(ctx, `
			INSERT INTO lookups (code, verdict, channel, urn_hash, looked_at) VALUES ('X', 'unknown', 'sms', '\x00', $1)`, at); err != nil {
			t.Fatal(err)
		}
		status := "sent"
		if m == -2 {
			status = "queued"
		}
		if _, err := s.db.Pool.Exec(ctx, `
			INSERT INTO messages (id, direction, kind, channel, urn, text, status, created_at)
			VALUES (message_id_at($1), 'out', 'notice', 'sms', 'tel:+84912345678', 'x', $2, $1)`, at, status); err != nil {
			t.Fatal(err)
		}
	}
	// Before the rollup has counted them, old lookups stay; a month of
	// messages goes unless one of them is still queued.
	ch := s.maintain(t, now, 1)
	for _, name := range []string{part("lookups", month(now, -3)), part("lookups", month(now, -2)), part("messages", month(now, -2))} {
		if ch.Held[name] == "" {
			t.Errorf("%s was not held: %+v", name, ch)
		}
	}
	if !slices.Equal(ch.Detached, []string{part("messages", month(now, -3))}) {
		t.Errorf("the first run detached %v", ch.Detached)
	}

	// The hourly housekeeping rolls up, then detaches the counted months.
	if _, err := s.db.HousekeepRetaining(ctx, 1); err != nil {
		t.Fatal(err)
	}
	gone := map[string]bool{
		part("lookups", month(now, -3)): true, part("lookups", month(now, -2)): true, part("messages", month(now, -3)): true,
	}
	for _, table := range []string{"lookups", "messages"} {
		have := s.attached(t, table)
		for m := -3; m <= postgres.PartitionsAhead; m++ {
			name := part(table, month(now, m))
			if detached := !slices.Contains(have, name); detached != gone[name] {
				t.Errorf("%s: detached %v, want %v (attached: %v)", name, detached, gone[name], have)
			}
		}
	}
	if n := s.count(t, `SELECT count(*) FROM lookups`); n != 2 {
		t.Errorf("%d lookups attached, want this month's and last month's", n)
	}
	if n := s.count(t, `SELECT count(*) FROM `+part("lookups", month(now, -3))); n != 1 {
		t.Errorf("the detached month holds %d lookups, want its 1", n)
	}
	if n := s.count(t, `SELECT coalesce(sum(n), 0) FROM lookup_days`); n < 3 {
		t.Errorf("the rollup counts %d lookups, want the detached months' still counted", n)
	}
	if _, err := s.db.MaintainPartitions(ctx, now, -1); err == nil {
		t.Error("a negative retention was taken")
	}
}

// The key tables keep what a provider can still retry or report on.
func TestHousekeepPrunesOldMessageKeys(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	for _, sql := range []string{
		`INSERT INTO inbound_keys (channel, provider_id, message_id, received_at) VALUES
			('zalo', 'old', 1, now() - interval '8 days'), ('zalo', 'new', 2, now() - interval '6 days')`,
		`INSERT INTO outbound_keys (channel, provider_id, urn, message_id, sent_at) VALUES
			('kannel', 'old', 'tel:+84912345678', 1, now() - interval '63 days'),
			('kannel', 'new', 'tel:+84912345678', 2, now() - interval '40 days')`,
	} {
		if _, err := s.db.Pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.db.Housekeep(ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"inbound_keys", "outbound_keys"} {
		if n := s.count(t, `SELECT count(*) FROM `+table+` WHERE provider_id = 'new'`); n != 1 {
			t.Errorf("%s: the young key went", table)
		}
		if n := s.count(t, `SELECT count(*) FROM `+table+` WHERE provider_id = 'old'`); n != 0 {
			t.Errorf("%s: the old key stayed", table)
		}
	}
}

// The rollup's day, the dashboard's live part and the totals' read
// lookups by looked_at, so only the months they name: with a year of
// months, none outside the range is read.
func TestLookupsByTimeReadTheirMonths(t *testing.T) {
	s := newServices(t)
	now := time.Now()
	for m := -12; m < 0; m++ {
		s.maintain(t, month(now, m), 0)
	}
	today := time.Date(now.In(locales.Vietnam).Year(), now.In(locales.Vietnam).Month(), now.In(locales.Vietnam).Day(), 0, 0, 0, 0, locales.Vietnam)
	for _, c := range []struct {
		name, sql      string
		args           []any
		oldest, newest time.Time // the months the range touches
	}{
		{"rollup of yesterday", `
			SELECT (looked_at AT TIME ZONE $3)::date, coalesce(product_id, 0), count(*) FROM lookups
			WHERE looked_at >= $1 AND looked_at < $2 GROUP BY 1, 2`,
			[]any{today.AddDate(0, 0, -1), today, locales.VietnamZone}, month(today.AddDate(0, 0, -1), 0), month(today.Add(-time.Microsecond), 0)},
		{"dashboard since the mark", `
			SELECT (looked_at AT TIME ZONE $2)::date, count(*) FROM lookups WHERE looked_at >= $1 GROUP BY 1`,
			[]any{today, locales.VietnamZone}, month(today, 0), month(now, postgres.PartitionsAhead)},
		{"30 days of top products", `
			SELECT product_id, count(*) FROM lookups WHERE looked_at >= $1 AND product_id IS NOT NULL GROUP BY product_id`,
			[]any{today.AddDate(0, 0, -29)}, month(today.AddDate(0, 0, -29), 0), month(now, postgres.PartitionsAhead)},
	} {
		text := explain(t, s.db.Pool, `EXPLAIN (COSTS OFF) `+c.sql, c.args...)
		for m := -12; m <= postgres.PartitionsAhead; m++ {
			name := part("lookups", month(now, m))
			want := !month(now, m).Before(c.oldest) && !month(now, m).After(c.newest)
			if read := strings.Contains(text, name+" "); read != want {
				t.Errorf("%s: reads %s %v:\n%s", c.name, name, read, text)
			}
		}
	}
}

// Two gateways given the same webhook at once store it once: the key
// table's primary key makes the second wait for the first and drop it.
func TestInboundKeyRaceStoresOnce(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	processes := []*services{s, s.process(t)}
	var stored sync.Map
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := &core.Message{Channel: "telegram", URN: "telegram:7", Text: "HD", ProviderID: "update-9"}
			ok, err := processes[i%2].storeInbound(ctx, m)
			if err != nil {
				t.Error(err)
			}
			stored.Store(i, ok)
		}()
	}
	wg.Wait()
	n := 0
	stored.Range(func(_, ok any) bool {
		if ok.(bool) {
			n++
		}
		return true
	})
	if n != 1 || s.count(t, `SELECT count(*) FROM messages WHERE provider_id = 'update-9'`) != 1 {
		t.Errorf("%d of 8 deliveries stored", n)
	}
}

// explain runs an EXPLAIN on q and returns its plan, a line a node.
func explain(t *testing.T, q interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}, sql string, args ...any) string {
	t.Helper()
	rows, err := q.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}
