package channel_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/dialog"
	"tracegate/core"
)

// A backlog drains at the channel's pace whatever the number of processes:
// every reply leaves, once, and no two leave closer than the pace allows.
// (The drain time against the ideal is reported by `tracegate soak`.)
func TestBacklogDrainsAtThePace(t *testing.T) {
	tests := []struct {
		processes int
		every     time.Duration
		backlog   int
	}{
		{2, time.Second, 5},
		{3, time.Second, 5},
		{2, 100 * time.Millisecond, 40},
		{3, 100 * time.Millisecond, 40},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d processes at one per %s", tt.processes, tt.every), func(t *testing.T) {
			prov := newProvider(t)
			w := newWorld(t, prov)
			w.fake.every = tt.every
			first := w.pipeline(t)
			for i := range tt.backlog {
				receive(t, first, w, core.URN(sender(i)), "HD", fmt.Sprintf("SM%d", i))
			}
			start := time.Now()
			w.Run(t, first)
			for range tt.processes - 1 {
				w.Run(t, w.pipeline(t))
			}
			if got := w.settle(t); got[core.StatusSent] != tt.backlog {
				t.Fatalf("outbound: %v", got)
			}
			sends := prov.sends()
			perSender := map[string]int{}
			for i, s := range sends {
				perSender[s.To]++
				if i > 0 && s.At.Sub(sends[i-1].At) < tt.every*8/10 {
					t.Errorf("sends %d and %d came %s apart", i-1, i, s.At.Sub(sends[i-1].At))
				}
			}
			if len(sends) != tt.backlog || len(perSender) != tt.backlog {
				t.Fatalf("%d sends to %d senders for %d replies", len(sends), len(perSender), tt.backlog)
			}
			t.Logf("drained %d in %s (ideal %s)", tt.backlog, time.Since(start).Round(10*time.Millisecond),
				time.Duration(tt.backlog)*tt.every)
		})
	}
}

// Notices queued by the dozen do not hold up a reply to someone who just
// wrote: it takes one of the next few turns, not the turn after every
// notice.
func TestRepliesGoBeforeNotices(t *testing.T) {
	const notices, every = 60, 50 * time.Millisecond
	prov := newProvider(t)
	w := newWorld(t, prov)
	w.fake.every = every
	p := w.pipeline(t)
	for i := range notices {
		n := dialog.Notice{To: farmer, Reply: dialog.Reply{Lang: core.LangEN, Lines: []dialog.Line{{Text: fmt.Sprintf("notice %d", i)}}}}
		if err := p.Notify(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	w.Run(t, p)
	for len(prov.sends()) < 5 {
		time.Sleep(10 * time.Millisecond)
	}
	before := len(prov.sends())
	receive(t, p, w, consumer, string(w.Codes[0]), "SM-lookup")
	w.settle(t)
	sends := prov.sends()
	at := -1
	for i, s := range sends {
		if s.To == consumer.Path() {
			at = i
		}
	}
	// The horizon (500ms) holds 10 turns at 50ms already given.
	if ahead := at - before; at < 0 || ahead > 12 {
		t.Fatalf("the reply went after %d more notices (of %d)", ahead, notices)
	}
	if len(sends) != notices+1 {
		t.Fatalf("%d sends for %d notices and a reply", len(sends), notices)
	}
}

// A send the provider took is never sent again because recording it
// failed: an id the database refuses (too long, or one the provider gave
// twice to one person) is dropped, not the send.
func TestProviderIDsTheDatabaseRefuses(t *testing.T) {
	prov := newProvider(t)
	prov.id = func(to string, n int) string {
		if to == consumer.Path() {
			return "SAME"
		}
		return strings.Repeat("x", 300)
	}
	w := newWorld(t, prov)
	p := w.pipeline(t)
	receive(t, p, w, consumer, "HD", "SM1")
	receive(t, p, w, consumer, "HD", "SM2")
	receive(t, p, w, farmer, "HD", "SM3")
	w.Run(t, p)
	if got := w.settle(t); got[core.StatusSent] != 3 {
		t.Fatalf("outbound: %v", got)
	}
	if n := len(prov.sends()); n != 3 {
		t.Fatalf("%d sends for 3 replies", n)
	}
	noID := func(m *core.Message) bool { return m.ProviderID == "" }
	if n := channeltest.Count(w.Outbound(t), noID); n != 2 {
		t.Fatalf("%d sends recorded without their refused id, want 2", n)
	}
}

// A channel's pace and each chat's hold together, across processes: four
// notices to each of three people leave at most one per chat interval to
// each, and the chats share the channel without waiting for each other.
func TestPerChatAndChannelPaceHoldTogether(t *testing.T) {
	const chatEvery, channelEvery = 200 * time.Millisecond, 40 * time.Millisecond
	prov := newProvider(t)
	w := newWorld(t, prov)
	w.rates = map[string]channel.RateLimit{"fake": {PerSecond: 25, PerChat: 5}}
	a, b := w.pipeline(t), w.pipeline(t)
	people := []core.URN{"tel:+84977000011", "tel:+84977000012", "tel:+84977000013"}
	for i := range 4 {
		for _, to := range people {
			n := dialog.Notice{To: to, Reply: dialog.Reply{Lang: core.LangEN, Lines: []dialog.Line{{Text: fmt.Sprintf("notice %d", i)}}}}
			if err := a.Notify(context.Background(), n); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.Run(t, a)
	w.Run(t, b)
	w.settle(t)
	sends := prov.sends()
	last := map[string]time.Time{}
	for i, s := range sends {
		if i > 0 && s.At.Sub(sends[i-1].At) < channelEvery*8/10 {
			t.Errorf("sends %d and %d came %s apart over the channel", i-1, i, s.At.Sub(sends[i-1].At))
		}
		if prev, ok := last[s.To]; ok && s.At.Sub(prev) < chatEvery*8/10 {
			t.Errorf("two sends to %s came %s apart", s.To, s.At.Sub(prev))
		}
		last[s.To] = s.At
	}
	if len(sends) != 12 {
		t.Fatalf("%d sends for 12 notices", len(sends))
	}
	// The chats share the channel: while one waits out its interval the
	// others go, so the first three sends are one to each.
	if first := map[string]bool{sends[0].To: true, sends[1].To: true, sends[2].To: true}; len(first) != 3 {
		t.Errorf("the chats waited for each other: the first sends went to %v", first)
	}
}

// A pace that is no whole number of microseconds (Telegram's 30 a second)
// gives turns the database keeps exactly: every message leaves.
func TestPaceOfAThirtiethOfASecond(t *testing.T) {
	prov := newProvider(t)
	w := newWorld(t, prov)
	w.fake.every = time.Second / 30
	p := w.pipeline(t)
	for i := range 10 {
		receive(t, p, w, core.URN(sender(i)), "HD", fmt.Sprintf("SM%d", i))
	}
	w.Run(t, p)
	if got := w.settle(t); got[core.StatusSent] != 10 {
		t.Fatalf("outbound: %v", got)
	}
}
