package postgres_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// TestReadReplica runs the public page's and the dashboard's reads against
// a real streaming replica: they go there, a stamp the replica has not yet
// seen activated is still answered as the primary knows it, and a replica
// that stops costs nothing but a line in the log.
func TestReadReplica(t *testing.T) {
	ctx := context.Background()
	rp := pgtest.NewReplicated(t)
	tr := &serverTracer{}
	logs := &syncBuffer{}
	s := tracedServices(t, rp.PrimaryURL, tr)
	s.db.UseReader(tracedPool(t, rp.ReplicaURL, tr), slog.New(slog.NewTextHandler(logs, nil)))
	postgres.SetReaderRetry(s.db, 100*time.Millisecond)
	standby := adminConn(t, rp.Replica.URL("postgres"))

	a := s.newProducer(t, "HTX Mật ong U Minh", "0912345678")
	s.issue(t, a, 10)
	lot := s.openLot(t, a)
	s.activate(t, a, lot, 1, 5)
	genuine := s.codeOf(t, a, 1)
	rp.WaitReplayed(t)

	// With replay paused the replica is a frozen past: whatever a read
	// returns from it, and not from the primary, shows where it went.
	if _, err := standby.Exec(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	s.newProducer(t, "HTX Tôm Năm Căn", "0912345679")

	t.Run("stats and dashboard read the replica", func(t *testing.T) {
		before := tr.snapshot()
		st, err := s.Stats.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.Stats.Dashboard(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if st.Facilities != 1 || d.Stats.Facilities != 1 {
			t.Fatalf("facilities %d and %d, want the replica's 1 (the primary has %d)", st.Facilities, d.Stats.Facilities,
				s.count(t, `SELECT count(*) FROM facilities`))
		}
		if got := tr.snapshot().sub(before); got.primary != 0 || got.standby == 0 {
			t.Fatalf("statements %+v, want all on the standby", got)
		}
	})

	t.Run("a lookup reads the replica and writes the primary", func(t *testing.T) {
		for i, sender := range []core.URN{"tel:+84977000001", "tel:+84977000002"} {
			before := tr.snapshot()
			p := lookup(t, s, string(genuine), sender)
			if p.Verdict != core.VerdictGenuine {
				t.Fatalf("verdict %s, want genuine", p.Verdict)
			}
			// The replica has not replayed the first lookup: the second
			// counts only itself, where the primary would count two.
			if p.History.Count != 1 {
				t.Fatalf("lookup %d counts %d lookups, want the replica's 0 and itself", i+1, p.History.Count)
			}
			if got := tr.snapshot().sub(before); got.standbyBatches != 1 || got.primaryBatches != 0 {
				t.Fatalf("batches %+v, want the one read on the standby", got)
			}
		}
		if n := s.count(t, `SELECT count(*) FROM lookups`); n != 2 {
			t.Fatalf("the primary holds %d lookups, want 2", n)
		}
	})

	t.Run("inside a transaction reads stay on the primary", func(t *testing.T) {
		before := tr.snapshot()
		err := s.db.InTx(ctx, func(_ pgx.Tx, bound core.Services) error {
			if _, err := bound.Stats.Stats(ctx); err != nil {
				return err
			}
			_, err := bound.Lookups.Lookup(ctx, core.LookupRequest{Input: string(genuine), Channel: "sms", Sender: "tel:+84977000003"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := tr.snapshot().sub(before); got.standby != 0 || got.standbyBatches != 0 {
			t.Fatalf("statements %+v, want none on the standby", got)
		}
	})

	t.Run("a stamp activated a moment ago reads as the primary has it", func(t *testing.T) {
		s.activate(t, a, lot, 6, 6)
		fresh := s.issue(t, a, 1)
		justActivated := s.codeOf(t, a, 6)
		justPrinted := s.codeOf(t, a, fresh.FirstSerial)
		var state string
		if err := replicaConn(t, rp).QueryRow(ctx, `SELECT state FROM stamps WHERE code = $1`, justActivated).Scan(&state); err != nil || state != "issued" {
			t.Fatalf("the paused replica has stamp 6 %q (%v), want issued", state, err)
		}
		for _, tt := range []struct {
			code core.Code
			want core.Verdict
		}{
			{justActivated, core.VerdictGenuine},    // the replica says issued
			{justPrinted, core.VerdictNotActivated}, // the replica knows no such stamp
		} {
			before := tr.snapshot()
			p := lookup(t, s, string(tt.code), "tel:+84977000004")
			if p.Verdict != tt.want {
				t.Fatalf("%s: verdict %s, want %s as on the primary", tt.code, p.Verdict, tt.want)
			}
			if got := tr.snapshot().sub(before); got.standbyBatches != 1 || got.primaryBatches != 1 {
				t.Fatalf("%s: batches %+v, want the replica's answer read again on the primary", tt.code, got)
			}
		}
		if p := lookup(t, s, string(justActivated), "tel:+84977000004"); p.Lot == nil || p.Lot.Code != lot.Code || p.Product.Code != "HONEY" {
			t.Fatalf("the re-read provenance %+v lacks the primary's lot and product", p)
		}
	})

	if _, err := standby.Exec(ctx, `SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	rp.WaitReplayed(t)

	t.Run("a replica that is down falls back to the primary", func(t *testing.T) {
		standby.Close(ctx)
		if err := rp.Replica.Stop(); err != nil {
			t.Fatal(err)
		}
		// Past the retry the reads try the dead replica again, and a
		// refused connect is the same outage, not another line.
		for range 3 {
			time.Sleep(150 * time.Millisecond)
			st, err := s.Stats.Stats(ctx)
			if err != nil {
				t.Fatalf("stats with the replica down: %v", err)
			}
			if st.Facilities != 2 {
				t.Fatalf("facilities %d, want the primary's 2", st.Facilities)
			}
			if p := lookup(t, s, string(genuine), "tel:+84977000005"); p.Verdict != core.VerdictGenuine {
				t.Fatalf("verdict %s with the replica down, want genuine", p.Verdict)
			}
		}
		down := logs.lines("read replica unreachable")
		if len(down) != 1 {
			t.Fatalf("the outage is logged %d times, want once:\n%s", len(down), logs.String())
		}
		if other := logs.lines("failed a read"); len(other) != 0 {
			t.Fatalf("a replica that is down is logged as a failed read:\n%s", strings.Join(other, "\n"))
		}
		if !strings.Contains(down[0], "host=127.0.0.1") || !strings.Contains(down[0], "error=") {
			t.Fatalf("the outage's log line lacks the host or the error: %s", down[0])
		}

		rp.RestartReplica(t)
		deadline := time.Now().Add(10 * time.Second)
		for len(logs.lines("read replica reachable again")) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("reads never went back to the restarted replica:\n%s", logs.String())
			}
			time.Sleep(50 * time.Millisecond)
			if _, err := s.Stats.Stats(ctx); err != nil {
				t.Fatal(err)
			}
		}
		before := tr.snapshot()
		if _, err := s.Stats.Stats(ctx); err != nil {
			t.Fatal(err)
		}
		if got := tr.snapshot().sub(before); got.standby == 0 || got.primary != 0 {
			t.Fatalf("statements %+v after the replica came back, want them on it", got)
		}
	})
}

func lookup(t *testing.T, s *services, input string, sender core.URN) *core.Provenance {
	t.Helper()
	p, err := s.Lookups.Lookup(context.Background(), core.LookupRequest{Input: input, Channel: "web", Sender: sender})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// tracedServices is every service on url with its statements counted.
func tracedServices(t *testing.T, url string, tr *serverTracer) *services {
	db := postgres.New(tracedPool(t, url, tr))
	t.Cleanup(db.Close)
	return &services{Services: postgres.NewServices(db), db: db, url: url}
}

func tracedPool(t *testing.T, url string, tr *serverTracer) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = tr
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return pool
}

func adminConn(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// replicaConn is an untraced connection to the replicated database on the
// replica, for checking what it holds.
func replicaConn(t *testing.T, rp *pgtest.Replicated) *pgx.Conn {
	return adminConn(t, rp.ReplicaURL)
}

// serverTracer counts statements and batches by the kind of server that
// ran them. Postgres 14 and later report in_hot_standby to every session,
// so the connection itself says whether it is on a standby, without a
// query of ours that would count too.
type serverTracer struct {
	primary, standby, primaryBatches, standbyBatches atomic.Int64
}

type traceCounts struct{ primary, standby, primaryBatches, standbyBatches int64 }

func (tr *serverTracer) snapshot() traceCounts {
	return traceCounts{tr.primary.Load(), tr.standby.Load(), tr.primaryBatches.Load(), tr.standbyBatches.Load()}
}

func (c traceCounts) sub(o traceCounts) traceCounts {
	return traceCounts{c.primary - o.primary, c.standby - o.standby, c.primaryBatches - o.primaryBatches, c.standbyBatches - o.standbyBatches}
}

func onStandby(conn *pgx.Conn) bool { return conn.PgConn().ParameterStatus("in_hot_standby") == "on" }

func (tr *serverTracer) TraceQueryStart(ctx context.Context, conn *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	if onStandby(conn) {
		tr.standby.Add(1)
	} else {
		tr.primary.Add(1)
	}
	return ctx
}

func (tr *serverTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (tr *serverTracer) TraceBatchStart(ctx context.Context, conn *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	if onStandby(conn) {
		tr.standbyBatches.Add(1)
	} else {
		tr.primaryBatches.Add(1)
	}
	return ctx
}

func (tr *serverTracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (tr *serverTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// syncBuffer is a log the database's goroutines may write while the test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines are the log lines containing s.
func (b *syncBuffer) lines(s string) []string {
	var out []string
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return out
}
