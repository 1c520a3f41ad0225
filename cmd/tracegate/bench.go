package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core/postgres/pgcluster"
)

// benchPlan is what `tracegate bench` measures: at each scale (stamps,
// with as many lookups), every figure beside the bare Postgres work it
// stands on, on one private cluster in one run.
type benchPlan struct {
	Scales   []int
	Duration time.Duration // of each timed load
	Clients  int           // requests in flight
	Issue    int           // stamps issued in one batch
	Activate int           // stamps activated in one range
	// Server, when set, is a server's maintenance database to bench on
	// instead of a private cluster (a staging server, the tests' own);
	// its databases pgbench and bench_<scale> are dropped and created.
	Server   string
	Keep     bool // keep each scale's database, for a look at it after
	Progress io.Writer
	// CPUProfile, when set, is a file for the CPU profile of the webhook
	// loads of the first scale: the gateway and its client together.
	CPUProfile string
	// The end-to-end load: how long Twilio takes to answer a send, the
	// sends in flight asked of the gateway (SEND_WORKERS), and the longest
	// wait for the backlog to be delivered after the load.
	Latency time.Duration
	Workers int
	Drain   time.Duration
}

func bench(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(out)
	plan := benchPlan{Progress: os.Stderr}
	scales := fs.String("scales", "100000,1000000,10000000", "stamps (and as many lookups) at each scale, comma-separated")
	fs.DurationVar(&plan.Duration, "duration", 10*time.Second, "how long each load runs")
	fs.IntVar(&plan.Clients, "clients", 16, "requests in flight")
	fs.IntVar(&plan.Issue, "issue", 1_000_000, "stamps issued in one batch")
	fs.IntVar(&plan.Activate, "activate", 100_000, "stamps activated in one range")
	fs.StringVar(&plan.Server, "server", "", "bench on this server (a URL to its postgres database) instead of a private cluster; drops and creates its databases pgbench and bench_*")
	fs.BoolVar(&plan.Keep, "keep", false, "with --server, keep each scale's database bench_<scale> instead of dropping it")
	fs.StringVar(&plan.CPUProfile, "cpuprofile", "", "write the CPU profile of the first scale's webhook loads to this file, and of its end-to-end load to this file.e2e")
	fs.DurationVar(&plan.Latency, "latency", 200*time.Millisecond, "how long the end-to-end load's Twilio takes to answer a send (the real one: 100-600 ms)")
	fs.IntVar(&plan.Workers, "workers", 256, "Twilio sends in flight the end-to-end gateway is given (SEND_WORKERS=twilio=N)")
	fs.DurationVar(&plan.Drain, "drain", 3*time.Minute, "the longest the end-to-end load waits, after it ends, for its replies to be delivered")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	var err error
	if plan.Scales, err = parseScales(*scales); err != nil || plan.Duration <= 0 || plan.Clients < 1 ||
		plan.Issue < 1 || plan.Activate < 1 || plan.Activate > plan.Issue ||
		plan.Latency < 0 || plan.Workers < 1 || plan.Drain <= 0 {
		return fmt.Errorf("bench needs scales > 0, duration > 0, clients >= 1, 1 <= activate <= issue, latency >= 0, workers >= 1 and drain > 0: %w", errUsage)
	}
	if plan.Keep && plan.Server == "" {
		return fmt.Errorf("--keep needs --server: a private cluster goes when the bench ends: %w", errUsage)
	}
	rows, err := runBench(ctx, plan)
	printBench(out, rows)
	return err
}

func parseScales(s string) ([]int, error) {
	var scales []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseFloat(strings.TrimSpace(f), 64) // 1e6 reads as well as 1000000
		if err != nil || n < 1 {
			return nil, fmt.Errorf("scale %q", f)
		}
		scales = append(scales, int(n))
	}
	return scales, nil
}

// runBench starts the cluster (a private one unless --server names one,
// never DATABASE_URL: the bench writes tens of millions of rows) and
// measures each scale.
func runBench(ctx context.Context, plan benchPlan) ([]benchRow, error) {
	server, stop, err := benchServer(ctx, plan.Server)
	if err != nil {
		return nil, err
	}
	defer stop()
	tpcb, err := newPgbench(ctx, server, plan)
	if err != nil {
		return nil, err
	}
	var rows []benchRow
	for _, scale := range plan.Scales {
		got, err := benchScale(ctx, server, tpcb, plan, scale)
		rows = append(rows, got...)
		plan.CPUProfile = "" // of the first scale only
		if err != nil {
			return rows, fmt.Errorf("bench at %d stamps: %w", scale, err)
		}
	}
	return rows, nil
}

// benchServer is a private cluster in a temporary directory, durable as
// a production server is (fsync on), or the given server.
func benchServer(ctx context.Context, url string) (*pgServer, func(), error) {
	if url != "" {
		return &pgServer{admin: url}, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "tracegate-bench-")
	if err != nil {
		return nil, nil, err
	}
	dataDir, _, err := pgcluster.UsableDir(filepath.Join(dir, "pgdata"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	c, err := startTuned(ctx, dataDir)
	if err != nil {
		os.RemoveAll(dataDir)
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return &pgServer{admin: c.URL("postgres")}, func() { c.Stop(); os.RemoveAll(dataDir); os.RemoveAll(dir) }, nil
}

// benchSettings are what README's Deployment asks of a production server
// beyond Postgres's defaults, so the private cluster is measured as one
// would be (TPC-B beside it gets them too).
var benchSettings = map[string]string{
	"shared_buffers":     "2GB",
	"max_wal_size":       "8GB",
	"checkpoint_timeout": "15min",
	"wal_compression":    "lz4",
}

// startTuned starts a cluster, applies benchSettings and restarts it,
// since shared_buffers is read at start only.
func startTuned(ctx context.Context, dataDir string) (*pgcluster.Cluster, error) {
	c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dataDir, Log: io.Discard})
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err == nil {
		for name, value := range benchSettings {
			if _, err = conn.Exec(ctx, fmt.Sprintf(`ALTER SYSTEM SET %s = '%s'`, name, value)); err != nil {
				break
			}
		}
		conn.Close(ctx)
	}
	c.Stop()
	if err != nil {
		return nil, fmt.Errorf("tune the bench's cluster: %w", err)
	}
	return pgcluster.Start(ctx, pgcluster.Options{Dir: dataDir, Port: c.Port(), Log: io.Discard})
}
