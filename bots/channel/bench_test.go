package channel_test

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/core/postgres/pgcluster"
	"tracegate/core/postgres/pgtest"
)

// BenchmarkReceive measures inbound messages through Receive: stored,
// looked up by the dialog, the reply rendered and its send job inserted,
// one transaction each, directly and through PgBouncer in transaction
// mode (DATABASE_POOLER=pgbouncer, 10 server connections); beside it,
// pgbench's TPC-B on the same server in the same run.
//
//	go test ./bots/channel -run '^$' -bench Receive
func BenchmarkReceive(b *testing.B) {
	prov := newProvider(b)
	w := newWorld(b, prov)
	codes := w.moreCodes(b, 10_000)
	var seq atomic.Int64
	receiving := func(p *channel.Pipeline) func(b *testing.B) {
		return func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := seq.Add(1)
					in := channel.Inbound{URN: core.URN(sender(int(i % 100_000))), Text: string(codes[i%int64(len(codes))]),
						ProviderID: fmt.Sprintf("B%d", i)}
					if err := p.Receive(context.Background(), w.fake, in); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		}
	}
	b.Run("receive-lookup", receiving(w.pipeline(b)))
	b.Run("receive-lookup-pgbouncer", receiving(w.bounced(b, pgtest.Bounced(b, w.URL, 10), 10)))
	b.Run("pgbench-tpcb", func(b *testing.B) {
		b.ReportMetric(pgbench(b, w.URL), "tps")
	})
}

// BenchmarkReply measures a lookup's reply on an idle channel, from
// Receive to the provider's accepting it: directly, where River hears of
// the send job at once, and through PgBouncer, where it polls for it.
//
//	go test ./bots/channel -run '^$' -bench 'Reply$' -benchtime 20x
func BenchmarkReply(b *testing.B) {
	prov := newProvider(b)
	w := newWorld(b, prov)
	// A pipeline per run: each is stopped when its run ends.
	replying := func(pipeline func(testing.TB) *channel.Pipeline) func(b *testing.B) {
		return func(b *testing.B) {
			p := pipeline(b)
			w.Run(b, p)
			b.ResetTimer()
			for range b.N {
				from := core.URN(sender(int(seqReply.Add(1))))
				receive(b, p, w, from, string(w.Codes[0]), "SM-"+string(from))
				for !prov.sentTo(from.Path()) {
					time.Sleep(time.Millisecond)
				}
			}
		}
	}
	bouncer := pgtest.Bounced(b, w.URL, 4)
	b.Run("direct", replying(w.pipeline))
	b.Run("pgbouncer", replying(func(b testing.TB) *channel.Pipeline { return w.bounced(b, bouncer, 4) }))
}

var seqReply atomic.Int64

// moreCodes issues and activates n more stamps on the world's lot.
func (w *world) moreCodes(b *testing.B, n int) []core.Code {
	ctx := context.Background()
	s := w.Services
	m, err := s.Members.FindMemberByURN(ctx, farmer)
	if err != nil {
		b.Fatal(err)
	}
	batch, err := s.Stamps.IssueBatch(ctx, m.FacilityID, n, false)
	if err != nil {
		b.Fatal(err)
	}
	r := core.SerialRange{From: batch.FirstSerial, To: batch.LastSerial}
	if _, err := s.Stamps.Activate(ctx, m, "L1", r); err != nil {
		b.Fatal(err)
	}
	stamps, err := s.Stamps.FindStamps(ctx, m.FacilityID, r)
	if err != nil {
		b.Fatal(err)
	}
	codes := make([]core.Code, len(stamps))
	for i, st := range stamps {
		codes[i] = st.Code
	}
	return codes
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+)`)

// pgbench runs TPC-B for 5 seconds with 2 clients and returns its rate.
func pgbench(b *testing.B, dbURL string) float64 {
	bin, err := pgcluster.FindBinaries()
	if err != nil {
		b.Skip(err)
	}
	pgbench := filepath.Join(bin, "pgbench")
	if out, err := exec.Command(pgbench, "-i", "-q", "-s", "1", dbURL).CombinedOutput(); err != nil {
		b.Fatalf("pgbench -i: %v\n%s", err, out)
	}
	out, err := exec.Command(pgbench, "-c", "2", "-j", "2", "-T", "5", dbURL).CombinedOutput()
	if err != nil {
		b.Fatalf("pgbench: %v\n%s", err, out)
	}
	m := tpsLine.FindSubmatch(out)
	if m == nil {
		b.Fatalf("no tps in pgbench output:\n%s", out)
	}
	tps, _ := strconv.ParseFloat(string(m[1]), 64)
	return tps
}

// BenchmarkReplyBehindNotices measures how long a consumer's lookup reply
// waits while 200 notices are queued on the same channel at 10 a second.
//
//	go test ./bots/channel -run '^$' -bench ReplyBehindNotices -benchtime 3x
func BenchmarkReplyBehindNotices(b *testing.B) {
	prov := newProvider(b)
	w := newWorld(b, prov)
	w.fake.every = 100 * time.Millisecond
	p := w.pipeline(b)
	w.Run(b, p)
	var total time.Duration
	for i := range b.N {
		for j := range 200 {
			n := dialog.Notice{To: farmer, Reply: dialog.Reply{Lang: core.LangEN, Lines: []dialog.Line{{Text: fmt.Sprintf("notice %d.%d", i, j)}}}}
			if err := p.Notify(context.Background(), n); err != nil {
				b.Fatal(err)
			}
		}
		time.Sleep(time.Second) // the notices are being sent
		from := core.URN(sender(i))
		start := time.Now()
		receive(b, p, w, from, string(w.Codes[0]), fmt.Sprintf("SM-bench-%d", i))
		for !prov.sentTo(from.Path()) {
			time.Sleep(5 * time.Millisecond)
		}
		total += time.Since(start)
		b.StopTimer()
		w.settle(b) // the notices leave before the next round
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/reply")
}
