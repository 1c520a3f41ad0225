package channel_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

// A channel configured faster than its workers can send drains at what
// the workers complete: the turns given never outrun the workers that
// use them, so none goes stale and back in line, and none is sent twice.
// (How long the drain takes against max(N/R, N/capacity) is the soak's
// and the bench's to measure.)
func TestBacklogDrainsAtCapacity(t *testing.T) {
	const workers, latency = 20, 20 * time.Millisecond
	tests := []struct{ processes, backlog int }{
		{1, 20_000},
		{2, 20_000},
		{3, 20_000},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d processes, %d queued", tt.processes, tt.backlog), func(t *testing.T) {
			prov := newProvider(t)
			prov.latency = latency
			w := newWorld(t, prov)
			w.workers = workers
			// Ten times what the processes' workers complete at the
			// provider's latency alone.
			capacity := float64(tt.processes*workers) / latency.Seconds()
			w.rates = map[string]channel.RateLimit{"fake": {PerSecond: 10 * capacity}}
			first := w.pipeline(t)
			queueNotices(t, first, tt.backlog)
			missedBefore := counter(t, "tracegate_turns_missed_total")
			start := time.Now()
			w.Run(t, first)
			for range tt.processes - 1 {
				w.Run(t, w.pipeline(t))
			}
			given := watchTurns(t, w)
			pgtest.WaitSent(t, w.DB.Pool, 3*time.Minute) // on this 2-core machine: about 400 a second
			if got := w.settle(t); got[core.StatusSent] != tt.backlog {
				t.Fatalf("outbound: %v", got)
			}
			drain := time.Since(start)
			perRecipient := map[string]int{}
			for _, s := range prov.sends() {
				perRecipient[s.To]++
			}
			if len(perRecipient) != tt.backlog || len(prov.sends()) != tt.backlog {
				t.Fatalf("%d sends to %d recipients for %d notices", len(prov.sends()), len(perRecipient), tt.backlog)
			}
			if busiest, most := prov.busiest(), tt.processes*workers; busiest > most {
				t.Errorf("the provider held %d sends at once; the processes have %d workers", busiest, most)
			}
			if most, bound := given(), 2*tt.processes*workers; most > bound {
				t.Errorf("%d turns were given and not yet used at once; the workers take %d", most, bound)
			}
			if missed := counter(t, "tracegate_turns_missed_total") - missedBefore; missed > 0 {
				t.Errorf("%v turns went stale and back in line", missed)
			}
			t.Logf("drained %d in %s: %.0f a second (the workers' bound at the provider's latency alone: %.0f)",
				tt.backlog, drain.Round(10*time.Millisecond), float64(tt.backlog)/drain.Seconds(), capacity)
		})
	}
}

// queueNotices queues n notices to n people in one transaction, as a
// recall of a large lot does.
func queueNotices(t *testing.T, p *channel.Pipeline, n int) {
	t.Helper()
	err := p.Act(context.Background(), func(context.Context, *dialog.Dialog) ([]dialog.Notice, error) {
		notices := make([]dialog.Notice, n)
		for i := range notices {
			notices[i] = dialog.Notice{To: core.URN(sender(i)), Reply: dialog.Reply{Lang: core.LangEN,
				Lines: []dialog.Line{{Text: fmt.Sprintf("notice %d", i)}}}}
		}
		return notices, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// watchTurns samples, until the test ends, how many queued messages hold
// a turn; the returned function says the most seen.
func watchTurns(t *testing.T, w *world) func() int {
	most := make(chan int, 1)
	most <- 0
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			var n int
			err := w.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE status = 'queued' AND slot_at IS NOT NULL`).Scan(&n)
			if err == nil {
				most <- max(<-most, n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return func() int { n := <-most; most <- n; return n }
}

// counter sums a counter of this process's metrics over its labels.
func counter(t *testing.T, name string) float64 {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			sum += m.GetCounter().GetValue()
		}
	}
	if !strings.HasPrefix(name, "tracegate_") {
		t.Fatalf("%s is not one of ours", name)
	}
	return sum
}
