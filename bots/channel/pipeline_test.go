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
	"tracegate/bots/channel/channeltest"
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
			receive(t, p, w, consumer, string(w.Codes[0]), "SM-dup")
		}()
	}
	wg.Wait()
	if n := len(w.Inbound(t)); n != 1 {
		t.Fatalf("%d inbound messages stored", n)
	}
	if n := len(w.Lookups(t)); n != 1 {
		t.Fatalf("the lookup ran %d times", n)
	}
	w.Run(t, p)
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
			w.Run(t, p)
			got := w.settle(t)
			if got[tt.status] != 1 || prov.tries() != tt.tries || len(prov.sends()) != tt.accepted {
				t.Fatalf("outbound %v after %d tries, %d accepted", got, prov.tries(), len(prov.sends()))
			}
			if stopped := w.Stopped(t, consumer); stopped != tt.stopped {
				t.Fatalf("contact stopped = %v", stopped)
			}
			out := w.Outbound(t)
			if len(out) != 1 {
				t.Fatalf("%d replies to one message", len(out))
			}
			if out[0].Attempts != tt.attempts {
				t.Fatalf("%d failed attempts counted, want %d", out[0].Attempts, tt.attempts)
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
	w.Run(t, p)
	receive(t, p, w, consumer, "GY "+string(w.Codes[0])+" ngon quá", "SM1")
	w.settle(t) // the thanks bounces off the block; the farmer's notice goes
	receive(t, p, w, farmer, "TL 1 Cảm ơn Quý khách", "SM2")
	w.settle(t)
	notices := channeltest.Filter(w.OutboundOf(t, consumer), func(m *core.Message) bool { return m.Kind == core.KindNotice })
	if len(notices) != 1 || notices[0].Status != core.StatusSuppressed {
		t.Fatalf("the notices to a blocked consumer are %v, want one suppressed", channeltest.ByStatus(notices))
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
	receive(t, p, w, consumer, "GY "+string(w.Codes[1])+" Mật ong thơm", "SM1")
	queued := func(m *core.Message) bool { return m.Kind == core.KindNotice && m.Status == core.StatusQueued }
	if n := channeltest.Count(w.OutboundOf(t, farmer), queued); n != 1 {
		t.Fatalf("%d notices queued for the farmer", n)
	}
	w.Run(t, p)
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
	w.Run(t, a)
	w.Run(t, b)
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
	w.Run(t, a)
	w.Run(t, b)
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
	if n := len(w.InboundOf(t, consumer)); n != 6 {
		t.Fatalf("%d of 6 messages stored", n)
	}
	var texts []string
	for _, m := range w.OutboundOf(t, consumer) {
		texts = append(texts, m.Text)
	}
	if len(texts) != 4 || !strings.Contains(texts[3], "qua nhanh") {
		t.Fatalf("answers to a flood: %q", texts)
	}
	if n := len(w.OutboundOf(t, farmer)); n != 1 {
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
	before := len(w.AllEntries(t))
	for i := range 6 {
		receive(t, p, w, farmer, fmt.Sprintf("NK L1 BON %d kg", i+1), fmt.Sprintf("SM%d", i))
	}
	if n := len(w.AllEntries(t)) - before; n != 6 {
		t.Fatalf("%d of 6 entries recorded", n)
	}
	slowDown := func(m *core.Message) bool { return strings.Contains(m.Text, "nhanh") }
	if channeltest.Count(w.OutboundOf(t, farmer), slowDown) != 0 {
		t.Fatal("the farmer was told to slow down")
	}
}
