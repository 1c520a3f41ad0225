package channel_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/core"
)

func receive(t testing.TB, p *channel.Pipeline, w *world, from core.URN, text, id string) {
	t.Helper()
	if err := p.Receive(context.Background(), w.fake, channel.Inbound{URN: from, Text: text, ProviderID: id}); err != nil {
		t.Fatal(err)
	}
}

func TestTheSameDeliveryFiveTimesIsAnsweredOnce(t *testing.T) {
	prov := newProvider(t)
	w := newWorld(t, prov)
	p := w.pipeline(t)
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			receive(t, p, w, consumer, string(w.codes[0]), "SM-dup")
		}()
	}
	wg.Wait()
	if n := w.count(t, `SELECT count(*) FROM messages WHERE direction = 'in'`); n != 1 {
		t.Fatalf("%d inbound messages stored", n)
	}
	if n := w.count(t, `SELECT count(*) FROM lookups`); n != 1 {
		t.Fatalf("the lookup ran %d times", n)
	}
	w.start(t, p)
	if got := w.settle(t); got[core.StatusSent] != 1 || len(got) != 1 {
		t.Fatalf("outbound: %v", got)
	}
	if sends := prov.sends(); len(sends) != 1 || !strings.Contains(sends[0].Text, "chinh hang") {
		t.Fatalf("provider got %v", sends)
	}
}

func TestSendFailures(t *testing.T) {
	tests := []struct {
		name     string
		script   []int
		status   string
		tries    int
		accepted int
		stopped  bool
		attempts int // failed attempts counted on the message
	}{
		{"retryable twice, then accepted", []int{500, 503}, core.StatusSent, 3, 1, false, 2},
		{"asked to wait", []int{http.StatusTooManyRequests}, core.StatusSent, 2, 1, false, 0},
		{"permanent", []int{400}, core.StatusFailed, 1, 0, false, 0},
		{"blocked", []int{403}, core.StatusFailed, 1, 0, true, 0},
		{"retryable until given up", []int{500, 500, 500, 500, 500, 500}, core.StatusFailed, 5, 0, false, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prov := newProvider(t, tt.script...)
			w := newWorld(t, prov)
			p := w.pipeline(t)
			receive(t, p, w, consumer, "HD", "SM1")
			w.start(t, p)
			got := w.settle(t)
			if got[tt.status] != 1 || prov.tries() != tt.tries || len(prov.sends()) != tt.accepted {
				t.Fatalf("outbound %v after %d tries, %d accepted", got, prov.tries(), len(prov.sends()))
			}
			var stopped bool
			w.db.Pool.QueryRow(context.Background(), `SELECT stopped_at IS NOT NULL FROM contacts WHERE urn = $1`, consumer).Scan(&stopped)
			if stopped != tt.stopped {
				t.Fatalf("contact stopped = %v", stopped)
			}
			if n := w.count(t, `SELECT attempts FROM messages WHERE direction = 'out'`); n != tt.attempts {
				t.Fatalf("%d failed attempts counted, want %d", n, tt.attempts)
			}
		})
	}
}

// A consumer who blocked us gets no notice: the producer's answer to their
// feedback is kept, suppressed, and never sent.
func TestNoNoticeAfterBlock(t *testing.T) {
	prov := newProvider(t, 403)
	prov.only = consumer.Path()
	w := newWorld(t, prov)
	p := w.pipeline(t)
	w.start(t, p)
	receive(t, p, w, consumer, "GY "+string(w.codes[0])+" ngon quá", "SM1")
	w.settle(t) // the thanks bounces off the block; the farmer's notice goes
	receive(t, p, w, farmer, "TL 1 Cảm ơn Quý khách", "SM2")
	w.settle(t)
	var status string
	w.db.Pool.QueryRow(context.Background(), `
		SELECT status FROM messages WHERE urn = $1 AND kind = 'notice'`, consumer).Scan(&status)
	if status != core.StatusSuppressed {
		t.Fatalf("the notice to a blocked consumer is %q", status)
	}
	for _, s := range prov.sends() {
		if s.To == consumer.Path() {
			t.Fatalf("a blocked consumer was sent %q", s.Text)
		}
	}
}

// Feedback reaches the producer's members through the outbox.
func TestFeedbackNoticeIsQueued(t *testing.T) {
	prov := newProvider(t)
	w := newWorld(t, prov)
	p := w.pipeline(t)
	receive(t, p, w, consumer, "GY "+string(w.codes[1])+" Mật ong thơm", "SM1")
	if n := w.count(t, `SELECT count(*) FROM messages WHERE kind = 'notice' AND urn = $1 AND status = 'queued'`, farmer); n != 1 {
		t.Fatalf("%d notices queued for the farmer", n)
	}
	w.start(t, p)
	w.settle(t)
	var toFarmer int
	for _, s := range prov.sends() {
		if s.To == farmer.Path() && strings.Contains(s.Text, "Mat ong thom") {
			toFarmer++
		}
	}
	if toFarmer != 1 {
		t.Fatalf("the farmer got the feedback %d times: %v", toFarmer, prov.sends())
	}
}

// Two gateway processes drain one queue: every message sent, none twice.
func TestTwoProcessesDrainTheQueue(t *testing.T) {
	const n = 1000
	prov := newProvider(t)
	w := newWorld(t, prov)
	a, b := w.pipeline(t), w.pipeline(t)
	for i := range n {
		notice := dialog.Notice{To: core.URN(fmt.Sprintf("tel:+8497%07d", i)),
			Reply: dialog.Reply{Lang: core.LangEN, Lines: []dialog.Line{{Text: fmt.Sprintf("notice %d", i)}}}}
		if err := a.Notify(context.Background(), notice); err != nil {
			t.Fatal(err)
		}
	}
	w.start(t, a)
	w.start(t, b)
	if got := w.settle(t); got[core.StatusSent] != n {
		t.Fatalf("outbound: %v", got)
	}
	seen := map[string]int{}
	for _, s := range prov.sends() {
		seen[s.Text]++
	}
	for text, times := range seen {
		if times > 1 {
			t.Errorf("%q sent %d times", text, times)
		}
	}
	if len(seen) != n {
		t.Fatalf("%d distinct messages sent, want %d", len(seen), n)
	}
}

// A channel's rate holds across processes: with one send per 50 ms, two
// processes never send closer together. The operator's rate (SEND_RATES)
// counts as the channel's own.
func TestSendRateAcrossProcesses(t *testing.T) {
	t.Run("channel's rate", func(t *testing.T) { testSendRate(t, false) })
	t.Run("operator's rate", func(t *testing.T) { testSendRate(t, true) })
}

func testSendRate(t *testing.T, operator bool) {
	prov := newProvider(t)
	w := newWorld(t, prov)
	w.fake.every = 50 * time.Millisecond
	if operator {
		w.fake.every, w.rates = 0, map[string]channel.RateLimit{"fake": {PerSecond: 20}}
	}
	a, b := w.pipeline(t), w.pipeline(t)
	for i := range 10 {
		receive(t, a, w, core.URN(fmt.Sprintf("tel:+849770000%02d", i)), "HD", fmt.Sprintf("SM%d", i))
	}
	w.start(t, a)
	w.start(t, b)
	w.settle(t)
	sends := prov.sends()
	if len(sends) != 10 {
		t.Fatalf("%d sends", len(sends))
	}
	for i := 1; i < len(sends); i++ {
		// The provider stamps arrival; the network may bunch two by a
		// little, never by a whole interval.
		if gap := sends[i].At.Sub(sends[i-1].At); gap < 40*time.Millisecond {
			t.Errorf("sends %d and %d came %s apart", i-1, i, gap)
		}
	}
}

// A sender over the limit gets one "slow down", then silence; everything
// they send is still stored, and nobody else is slowed.
func TestFloodingSenderIsSlowedDown(t *testing.T) {
	prov := newProvider(t)
	w := newWorld(t, prov)
	w.flood = 3
	p := w.pipeline(t)
	for i := range 6 {
		receive(t, p, w, consumer, "HD", fmt.Sprintf("SM%d", i))
	}
	receive(t, p, w, farmer, "HD", "SM-farmer")
	if n := w.count(t, `SELECT count(*) FROM messages WHERE direction = 'in' AND urn = $1`, consumer); n != 6 {
		t.Fatalf("%d of 6 messages stored", n)
	}
	var texts []string
	rows, _ := w.db.Pool.Query(context.Background(), `SELECT text FROM messages WHERE direction = 'out' AND urn = $1 ORDER BY id`, consumer)
	for rows.Next() {
		var s string
		rows.Scan(&s)
		texts = append(texts, s)
	}
	if len(texts) != 4 || !strings.Contains(texts[3], "qua nhanh") {
		t.Fatalf("answers to a flood: %q", texts)
	}
	if n := w.count(t, `SELECT count(*) FROM messages WHERE direction = 'out' AND urn = $1`, farmer); n != 1 {
		t.Fatalf("the farmer got %d answers", n)
	}
}

// A member's messages are always acted on, however fast they come: a
// feature phone back in coverage sends a day's entries at once.
func TestMembersAreNeverSlowedDown(t *testing.T) {
	prov := newProvider(t)
	w := newWorld(t, prov)
	w.flood = 3
	p := w.pipeline(t)
	before := w.count(t, `SELECT count(*) FROM diary_entries`)
	for i := range 6 {
		receive(t, p, w, farmer, fmt.Sprintf("NK L1 BON %d kg", i+1), fmt.Sprintf("SM%d", i))
	}
	if n := w.count(t, `SELECT count(*) FROM diary_entries`) - before; n != 6 {
		t.Fatalf("%d of 6 entries recorded", n)
	}
	texts := w.count(t, `SELECT count(*) FROM messages WHERE direction = 'out' AND urn = $1 AND text LIKE '%nhanh%'`, farmer)
	if texts != 0 {
		t.Fatal("the farmer was told to slow down")
	}
}
