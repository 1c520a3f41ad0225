package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

func TestInboundIsStoredOnce(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	in := func() *core.Message {
		return &core.Message{Channel: "sms", URN: "tel:+84977000001", Text: "HD", ProviderID: "SM1"}
	}
	first, again := in(), in()
	if stored, err := s.storeInbound(ctx, first); err != nil || !stored || first.ID == 0 {
		t.Fatalf("first: %v, %v", stored, err)
	}
	if stored, err := s.storeInbound(ctx, again); err != nil || stored {
		t.Fatalf("the provider's retry was stored again: %v, %v", stored, err)
	}
	other := in()
	other.Channel = "telegram"
	if stored, _ := s.storeInbound(ctx, other); !stored {
		t.Fatal("the same id on another channel is another message")
	}
}

// A delivery report lands on its message whichever comes first: the send
// answer or the report. Statuses only move forward.
func TestDeliveryReports(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	out := func() *core.Message {
		m := &core.Message{Kind: core.KindReply, Channel: "sms", URN: "tel:+84977000001", Text: "ok"}
		if err := s.Messages.StoreOutbound(ctx, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	status := func(id int64) string {
		m, err := s.Messages.FindMessage(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return m.Status
	}

	answerFirst := out()
	if err := s.Messages.MarkSent(ctx, answerFirst.ID, "SMa"); err != nil || status(answerFirst.ID) != core.StatusSent {
		t.Fatalf("after the send answer: %s, %v", status(answerFirst.ID), err)
	}
	for _, st := range []string{core.StatusDelivered, core.StatusSent} {
		if err := s.Messages.ReportDelivery(ctx, "sms", "SMa", st, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := status(answerFirst.ID); got != core.StatusDelivered {
		t.Fatalf("a late 'sent' moved delivered back to %s", got)
	}

	reportFirst := out()
	if err := s.Messages.ReportDelivery(ctx, "sms", "SMb", core.StatusFailed, "30003 unreachable"); err != nil {
		t.Fatal(err)
	}
	if err := s.Messages.MarkSent(ctx, reportFirst.ID, "SMb"); err != nil {
		t.Fatal(err)
	}
	m, _ := s.Messages.FindMessage(ctx, reportFirst.ID)
	if m.Status != core.StatusFailed || m.Error != "30003 unreachable" || m.ProviderID != "SMb" {
		t.Fatalf("the early report was lost: %+v", m)
	}
	wantCode(t, s.Messages.ReportDelivery(ctx, "sms", "SMc", "read", ""), core.EINVALID)

	history, err := s.Messages.FindMessagesByURN(ctx, "tel:+84977000001", 10)
	if err != nil || len(history) != 2 || history[0].ID != reportFirst.ID {
		t.Fatalf("history: %v, %v", history, err)
	}
}

// A send's answer and its "sent" and "delivered" reports racing each
// other, with no lock between them, never lose the last report: each
// writes before it reads the other's, and a report applied from the early
// ones takes away only its own.
func TestDeliveryReportRacesTheAnswer(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	const races = 300
	ids := make([]int64, races)
	for i := range ids {
		m := &core.Message{Kind: core.KindReply, Channel: "sms", URN: core.URN(fmt.Sprintf("tel:+849770%05d", i)), Text: "ok"}
		if err := s.Messages.StoreOutbound(ctx, m); err != nil {
			t.Fatal(err)
		}
		ids[i] = m.ID
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3*races)
	for i, id := range ids {
		sid := fmt.Sprintf("SM%d", i)
		wg.Add(3)
		go func() { defer wg.Done(); errs <- s.Messages.MarkSent(ctx, id, sid) }()
		go func() { defer wg.Done(); errs <- s.Messages.ReportDelivery(ctx, "sms", sid, core.StatusSent, "") }()
		go func() { defer wg.Done(); errs <- s.Messages.ReportDelivery(ctx, "sms", sid, core.StatusDelivered, "") }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := pgtest.Count(t, s.db.Pool, `SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'delivered'`); n != races {
		t.Fatalf("%d of %d reports landed", n, races)
	}
}

// Two final reports racing for one message, "delivered" and "failed", end
// it as one of them whole: never delivered with the failure's reason.
func TestFinalReportsRace(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	const races = 100
	var wg sync.WaitGroup
	for i := range races {
		m := &core.Message{Kind: core.KindReply, Channel: "sms", URN: core.URN(fmt.Sprintf("tel:+849771%05d", i)), Text: "ok"}
		sid := fmt.Sprintf("SMf%d", i)
		if err := s.Messages.StoreOutbound(ctx, m); err != nil {
			t.Fatal(err)
		}
		if err := s.Messages.MarkSent(ctx, m.ID, sid); err != nil {
			t.Fatal(err)
		}
		wg.Add(2)
		go func() { defer wg.Done(); s.Messages.ReportDelivery(ctx, "sms", sid, core.StatusDelivered, "") }()
		go func() {
			defer wg.Done()
			s.Messages.ReportDelivery(ctx, "sms", sid, core.StatusFailed, "30003 unreachable")
		}()
	}
	wg.Wait()
	whole := pgtest.Count(t, s.db.Pool, `
		SELECT count(*) FROM messages WHERE direction = 'out'
			AND ((status = 'delivered' AND error IS NULL) OR (status = 'failed' AND error = '30003 unreachable'))`)
	if whole != races {
		t.Fatalf("%d of %d messages ended as one report whole", whole, races)
	}
}

// Turns are given best first at the channel's pace, only within the
// horizon, never twice, never to a chat still busy, never before a
// retry's wait is over, never more than the process's free workers;
// another channel does not wait for this one.
func TestClaimTurns(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	queue := func(channel, urn string, priority int) int64 {
		t.Helper()
		m := &core.Message{Kind: core.KindNotice, Channel: channel, URN: core.URN(urn), Text: "x", Priority: priority}
		if priority == core.PriorityReply {
			m.Kind = core.KindReply
		}
		if err := s.Messages.StoreOutbound(ctx, m); err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	claim := func(channel string, pace core.Pace, horizon time.Duration, free int) []core.Turn {
		t.Helper()
		turns, _, err := s.Messages.ClaimTurns(ctx, core.TurnClaim{Channel: channel, Process: "gw-1", Pace: pace, Horizon: horizon, Max: free})
		if err != nil {
			t.Fatal(err)
		}
		return turns
	}
	assign := func(channel string, pace core.Pace, horizon time.Duration) []core.Turn {
		t.Helper()
		return claim(channel, pace, horizon, 100)
	}
	perSecond := core.Pace{Every: time.Second}

	bulk := queue("twilio", "tel:+84977000001", core.PriorityBulk)
	notice := queue("twilio", "tel:+84977000002", core.PriorityNotice)
	reply := queue("twilio", "tel:+84977000003", core.PriorityReply)
	slots := assign("twilio", perSecond, 1500*time.Millisecond)
	if len(slots) != 2 || slots[0].ID != reply || slots[1].ID != notice {
		t.Fatalf("turns within 1.5s at 1/s: %+v, want the reply's then the notice's", slots)
	}
	if slots[0].Text != "x" || slots[0].URN != "tel:+84977000003" || slots[0].Kind != core.KindReply {
		t.Fatalf("a turn has what its send needs: %+v", slots[0])
	}
	if gap := slots[1].At.Sub(slots[0].At); gap != time.Second {
		t.Fatalf("turns %s apart, want 1s", gap)
	}
	if again := assign("twilio", perSecond, 1500*time.Millisecond); len(again) != 0 {
		t.Fatalf("the horizon is full, yet %+v", again)
	}
	if other := assign("kannel", perSecond, 0); len(other) != 0 {
		t.Fatalf("kannel has nothing queued, yet %+v", other)
	}
	queue("kannel", "tel:+84977000001", core.PriorityNotice)
	if other := assign("kannel", perSecond, 0); len(other) != 1 {
		t.Fatalf("kannel waited for twilio's turns: %+v", other)
	}

	if err := s.Messages.Requeue(ctx, bulk, time.Now().Add(time.Hour), 1, "500"); err != nil {
		t.Fatal(err)
	}
	if late := assign("twilio", perSecond, time.Hour); len(late) != 0 {
		t.Fatalf("a message waiting out a retry got a turn: %+v", late)
	}

	// A turn a quarter of an hour old whose message is still queued lost
	// its job: the message is in line again.
	if _, err := s.db.Pool.Exec(ctx, `UPDATE messages SET slot_at = now() - interval '16 minutes' WHERE id = $1`, reply); err != nil {
		t.Fatal(err)
	}
	if again := assign("twilio", perSecond, time.Hour); len(again) != 1 || again[0].ID != reply {
		t.Fatalf("the orphaned reply was not given a new turn: %+v", again)
	}

	perChat := core.Pace{Every: time.Second / 30, PerChat: time.Second}
	first := queue("telegram", "telegram:1", core.PriorityNotice)
	queue("telegram", "telegram:1", core.PriorityNotice)
	third := queue("telegram", "telegram:2", core.PriorityNotice)
	slots = assign("telegram", perChat, 500*time.Millisecond)
	if len(slots) != 2 || slots[0].ID != first || slots[1].ID != third {
		t.Fatalf("turns with one a second per chat: %+v, want one for each chat", slots)
	}

	// However fast the channel may send, no more turns than free workers.
	for i := range 5 {
		queue("zalo", fmt.Sprintf("zalo:%d", i), core.PriorityNotice)
	}
	unpaced := core.Pace{}
	if got := claim("zalo", unpaced, time.Second, 2); len(got) != 2 {
		t.Fatalf("2 workers free got %d turns", len(got))
	}
	if got := claim("zalo", unpaced, time.Second, 0); len(got) != 0 {
		t.Fatalf("no worker free got %d turns", len(got))
	}
}

// A process's turns stay its own: another cannot hand them back, it gives
// back what it did not use when it stops, and when it dies the others put
// its turns back in line.
func TestTurnsOfProcesses(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	for i := range 4 {
		m := &core.Message{Kind: core.KindNotice, Channel: "twilio", URN: core.URN(fmt.Sprintf("tel:+8497700000%d", i)), Text: "x"}
		if err := s.Messages.StoreOutbound(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	claimed := func(process string) int {
		return pgtest.Count(t, s.db.Pool, `SELECT count(*) FROM messages WHERE status = 'queued' AND claimed_by = '`+process+`'`)
	}
	for _, process := range []string{"alive", "dead"} {
		if err := s.db.Heartbeat(ctx, process); err != nil {
			t.Fatal(err)
		}
		if turns, _, err := s.Messages.ClaimTurns(ctx, core.TurnClaim{Channel: "twilio", Process: process, Horizon: time.Second, Max: 2}); err != nil || len(turns) != 2 {
			t.Fatalf("%s claimed %d turns: %v", process, len(turns), err)
		}
	}
	turns, _, err := s.Messages.ClaimTurns(ctx, core.TurnClaim{Channel: "twilio", Process: "alive", Horizon: time.Second, Max: 2})
	if err != nil || len(turns) != 0 {
		t.Fatalf("turns claimed twice: %d, %v", len(turns), err)
	}
	var deadOne int64
	s.db.Pool.QueryRow(ctx, `SELECT min(id) FROM messages WHERE claimed_by = 'dead'`).Scan(&deadOne)
	if err := s.Messages.ReturnTurn(ctx, deadOne, "alive"); err != nil || claimed("dead") != 2 {
		t.Fatalf("a process handed back another's turn: %v", err)
	}
	if _, err := s.db.Pool.Exec(ctx, `UPDATE gateway_processes SET seen_at = now() - interval '1 minute' WHERE id = 'dead'`); err != nil {
		t.Fatal(err)
	}
	if n, err := s.db.RescueTurns(ctx, 15*time.Second); err != nil || n != 2 || claimed("dead") != 0 {
		t.Fatalf("rescued %d turns of the dead process: %v", n, err)
	}
	if n, err := s.db.RescueTurns(ctx, 15*time.Second); err != nil || n != 0 || claimed("alive") != 2 {
		t.Fatalf("rescued %d turns of a live process: %v", n, err)
	}
	if err := s.Messages.ReleaseTurns(ctx, "alive"); err != nil || claimed("alive") != 0 {
		t.Fatalf("a stopping process kept its turns: %v", err)
	}
	if n := pgtest.Count(t, s.db.Pool, `SELECT count(*) FROM messages WHERE status = 'queued' AND slot_at IS NULL`); n != 4 {
		t.Fatalf("%d of 4 messages in line again", n)
	}
}

// Notices go to the URN a member last wrote from.
func TestPreferredURNIsTheLastUsed(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	p := s.newProducer(t, "HTX A", "0912345678")
	tg := core.URN("telegram:5551234")
	if _, err := s.db.Pool.Exec(ctx, `INSERT INTO member_urns (urn, member_id) VALUES ($1, $2)`, tg, p.member.ID); err != nil {
		t.Fatal(err)
	}
	first := func() core.URN {
		members, err := s.Members.FindMembers(ctx, p.facility.ID)
		if err != nil {
			t.Fatal(err)
		}
		return members[0].URNs[0]
	}
	if got := first(); got != "tel:+84912345678" {
		t.Fatalf("before any message the preferred URN is %s", got)
	}
	for i, urn := range []core.URN{tg, "tel:+84912345678", tg} {
		m := &core.Message{Channel: urn.Scheme(), URN: urn, Text: "LO", ProviderID: string(rune('a' + i))}
		if _, err := s.storeInbound(ctx, m); err != nil {
			t.Fatal(err)
		}
		if got := first(); got != urn {
			t.Fatalf("after writing from %s the preferred URN is %s", urn, got)
		}
	}
}

func TestInboundCountsAndLastChannel(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	urn := core.URN("tel:+84977000001")
	start := time.Now().Add(-time.Second)
	for i, ch := range []string{"kannel", "twilio", "console"} {
		m := &core.Message{Channel: ch, URN: urn, Text: "HD", ProviderID: string(rune('a' + i))}
		if _, err := s.storeInbound(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.Messages.CountInboundSince(ctx, urn, start); err != nil || n != 3 {
		t.Fatalf("count = %d, %v", n, err)
	}
	if n, _ := s.Messages.CountInboundSince(ctx, urn, time.Now().Add(time.Minute)); n != 0 {
		t.Fatalf("count in the future = %d", n)
	}
	if ch, err := s.Messages.LastInboundChannel(ctx, urn, []string{"twilio", "kannel"}); err != nil || ch != "twilio" {
		t.Fatalf("last SMS channel = %q, %v", ch, err)
	}
	if ch, _ := s.Messages.LastInboundChannel(ctx, "tel:+84977000009", []string{"twilio"}); ch != "" {
		t.Fatalf("a stranger's last channel = %q", ch)
	}
}

// A delivery report racing the send's answer is never lost, whichever
// commits first.
func TestDeliveryReportRacingTheSendAnswer(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	const n = 50
	ids := make([]int64, n)
	for i := range ids {
		m := &core.Message{Kind: core.KindReply, Channel: "kannel", URN: "tel:+84977000001", Text: "ok"}
		if err := s.Messages.StoreOutbound(ctx, m); err != nil {
			t.Fatal(err)
		}
		ids[i] = m.ID
	}
	errs := make(chan error, 2*n)
	for i, id := range ids {
		pid := fmt.Sprintf("k%d", i)
		go func() { errs <- s.Messages.MarkSent(ctx, id, pid) }()
		go func() { errs <- s.Messages.ReportDelivery(ctx, "kannel", pid, core.StatusDelivered, "") }()
	}
	for range 2 * n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := s.count(t, `SELECT count(*) FROM messages WHERE status = 'delivered'`); got != n {
		t.Fatalf("%d of %d reports landed", got, n)
	}
}

// Housekeeping prunes early reports, send slots and processes older than a
// day, and nothing younger.
func TestHousekeepPrunesWhatIsADayOld(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	for _, sql := range []string{
		`INSERT INTO early_reports (channel, provider_id, status, received_at) VALUES
			('twilio', 'SMold', 'delivered', now() - interval '25 hours'), ('twilio', 'SMnew', 'delivered', now())`,
		`INSERT INTO send_slots (key, next_at) VALUES
			('telegram:telegram:1', now() - interval '25 hours'), ('twilio', now())`,
		`INSERT INTO gateway_processes (id, seen_at) VALUES ('gone', now() - interval '25 hours'), ('here', now())`,
	} {
		if _, err := s.db.Pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.db.Housekeep(ctx)
	if err != nil || n != 3 {
		t.Fatalf("pruned %d, %v; want 3", n, err)
	}
	for _, table := range []string{"early_reports", "send_slots", "gateway_processes"} {
		if left := pgtest.Count(t, s.db.Pool, `SELECT count(*) FROM `+table); left != 1 {
			t.Errorf("%s: %d rows left, want the young one", table, left)
		}
	}
}

// Queued tells how much waits on each channel and for how long.
func TestQueuedByChannel(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	for _, channel := range []string{"twilio", "twilio", "telegram"} {
		m := &core.Message{Kind: core.KindNotice, Channel: channel, URN: "tel:+84977000001", Text: "x"}
		if err := s.Messages.StoreOutbound(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.db.Pool.Exec(ctx, `UPDATE messages SET created_at = now() - interval '90 seconds' WHERE channel = 'twilio'`); err != nil {
		t.Fatal(err)
	}
	queued, err := s.db.Queued(ctx, []string{"twilio"})
	if err != nil || len(queued) != 1 || queued[0].Depth != 2 || queued[0].Oldest < 90*time.Second {
		t.Fatalf("queued on twilio: %+v, %v", queued, err)
	}
	if all, err := s.db.Queued(ctx, nil); err != nil || len(all) != 2 {
		t.Fatalf("queued on every channel: %+v, %v", all, err)
	}
	if none, err := s.db.Queued(ctx, []string{}); err != nil || len(none) != 0 {
		t.Fatalf("queued on no channel: %+v, %v", none, err)
	}
}
