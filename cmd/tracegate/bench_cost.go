package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// cost is what a load spent: CPU in this process (the gateway and its
// client), CPU in the server's processes, and WAL written, so a figure
// can be read per operation beside the bare work's.
type cost struct {
	self, server time.Duration
	wal          int64
}

// costMeter reads the costs of the bench's server: its WAL position, and
// the CPU of every postgres process on this machine (Linux's /proc; none
// elsewhere, and the figures then say 0).
type costMeter struct{ url string }

func (m costMeter) now(ctx context.Context) (cost, error) {
	c := cost{self: selfCPU(), server: postgresCPU()}
	conn, err := pgx.Connect(ctx, m.url)
	if err != nil {
		return c, err
	}
	defer conn.Close(ctx)
	return c, conn.QueryRow(ctx, `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint`).Scan(&c.wal)
}

// since is what was spent from before to now, per operation of n.
func (m costMeter) since(ctx context.Context, before cost, n int) (cost, error) {
	after, err := m.now(ctx)
	if err != nil || n == 0 {
		return cost{}, err
	}
	return cost{self: (after.self - before.self) / time.Duration(n), server: (after.server - before.server) / time.Duration(n),
		wal: (after.wal - before.wal) / int64(n)}, nil
}

func (c cost) String() string {
	return fmt.Sprintf("CPU %d µs here + %d µs in Postgres, WAL %.1f kB", c.self.Microseconds(), c.server.Microseconds(), float64(c.wal)/1000)
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// postgresCPU adds up the user and system time of the processes named
// postgres, and of those of their children that ended (a backend whose
// client left is counted on the postmaster), from /proc/<pid>/stat:
// fields 14 to 17, in clock ticks of 1/100 s on Linux.
func postgresCPU() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, path := range stats {
		raw, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		s := string(raw)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open || s[open+1:close] != "postgres" {
			continue
		}
		fields := strings.Fields(s[close+1:])
		if len(fields) < 15 {
			continue
		}
		for _, f := range fields[11:15] {
			n, _ := strconv.ParseInt(f, 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}
