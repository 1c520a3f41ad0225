package channel_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// bounced is a gateway process whose database is behind PgBouncer in
// transaction mode, as DATABASE_POOLER=pgbouncer opens it: its own pool
// of a few connections, River polling.
func (w *world) bounced(t testing.TB, url string, conns int) *channel.Pipeline {
	t.Helper()
	db, err := postgres.OpenVia(context.Background(), fmt.Sprintf("%s&pool_max_conns=%d", url, conns), postgres.PgBouncer)
	if err != nil {
		t.Fatal(err)
	}
	db.LeaseTTL = 300 * time.Millisecond
	t.Cleanup(db.Close)
	cfg := config(w.fake, nil, 0, 0)
	cfg.Store, cfg.Services, cfg.Pool, cfg.PollOnly = db, postgres.NewServices(db), db.Pool, true
	p, err := channel.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Two gateway processes behind one PgBouncer in transaction mode, whose
// four server connections their eight share, so that their transactions
// land on whichever is free: every lookup either receives is answered
// exactly once, and the Telegram polling lock is only ever one's.
func TestTwoProcessesBehindPgBouncer(t *testing.T) {
	const consumers = 60
	prov := newProvider(t)
	w := newWorld(t, prov)
	url := pgtest.Bounced(t, w.URL, 4)
	procs := []*channel.Pipeline{w.bounced(t, url, 4), w.bounced(t, url, 4)}
	for _, p := range procs {
		w.Run(t, p)
	}
	ctx, stopPolling := context.WithCancel(context.Background())
	polled := contendForPolling(t, ctx, procs)

	var wg sync.WaitGroup
	for i := range consumers {
		wg.Go(func() {
			from := core.URN(fmt.Sprintf("tel:+8497700%04d", i))
			in := channel.Inbound{URN: from, Text: string(w.Codes[i%len(w.Codes)]), ProviderID: fmt.Sprintf("SM%d", i)}
			if err := procs[i%2].Receive(context.Background(), w.fake, in); err != nil {
				t.Errorf("receive from %s: %v", from, err)
			}
		})
	}
	wg.Wait()
	if got := w.settle(t); got[core.StatusSent] != consumers || len(got) != 1 {
		t.Fatalf("outbound: %v", got)
	}
	stopPolling()
	takes := polled()

	replies := map[string]int{}
	for _, s := range prov.sends() {
		replies[s.To]++
	}
	for to, n := range replies {
		if n != 1 {
			t.Errorf("%s was answered %d times", to, n)
		}
	}
	if len(replies) != consumers {
		t.Errorf("%d of %d consumers answered", len(replies), consumers)
	}
	for _, s := range prov.sends() {
		if !strings.Contains(s.Text, "chinh hang") {
			t.Errorf("%s was answered %q, not a genuine product's provenance", s.To, s.Text)
			break
		}
	}
	if takes < 2 {
		t.Errorf("the polling lock was taken %d times while the lookups ran: the processes did not contend", takes)
	}
}

// contendForPolling has every process try for the Telegram polling lock
// and hold it a little, over and over, as Poll does, until ctx ends; a
// second holder at once fails the test. The function it returns waits for
// them and says how many times the lock was taken.
func contendForPolling(t *testing.T, ctx context.Context, procs []*channel.Pipeline) func() int {
	var holders, takes atomic.Int32
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Go(func() {
			for ctx.Err() == nil {
				release, ok, err := p.TryLock(ctx, "telegram-poller")
				if err != nil && ctx.Err() == nil {
					t.Errorf("take the polling lock: %v", err)
					return
				}
				if ok {
					takes.Add(1)
					if n := holders.Add(1); n > 1 {
						t.Errorf("%d processes hold the polling lock at once", n)
					}
					time.Sleep(30 * time.Millisecond)
					holders.Add(-1)
					release()
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	return func() int {
		wg.Wait()
		return int(takes.Load())
	}
}
