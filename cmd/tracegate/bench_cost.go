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
// the CPU of its processes, when they run on this machine (Linux's /proc;
// none elsewhere, and the figures then say 0).
type costMeter struct{ url string }

// costSQL is the WAL's position, and the backend asking, whose parent is
// the server's postmaster.
const costSQL = `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, pg_backend_pid()`

func (m costMeter) now(ctx context.Context) (cost, error) {
	conn, err := pgx.Connect(ctx, m.url)
	if err != nil {
		return cost{}, err
	}
	defer conn.Close(ctx)
	var c cost
	var backend int
	if err := conn.QueryRow(ctx, costSQL).Scan(&c.wal, &backend); err != nil {
		return c, fmt.Errorf("the server's WAL position: %w", err)
	}
	c.self, c.server = selfCPU(), postgresCPU(postmasterOf(backend))
	return c, nil
}

// since is what was spent from before to now, per operation of n.
func (m costMeter) since(ctx context.Context, before cost, n int) (cost, error) {
	after, err := m.now(ctx)
	if err != nil {
		return cost{}, err
	}
	return after.per(before, n), nil
}

// per is what was spent from before to c, per operation of n.
func (c cost) per(before cost, n int) cost {
	if n == 0 {
		return cost{}
	}
	return cost{self: (c.self - before.self) / time.Duration(n), server: (c.server - before.server) / time.Duration(n),
		wal: (c.wal - before.wal) / int64(n)}
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

// postgresCPU adds up the user and system time of the postmaster and
// its children, and of those children that ended (a backend whose client
// left is counted on the postmaster), from /proc/<pid>/stat: fields 14 to
// 17, in clock ticks of 1/100 s on Linux. Only this server's: on a shared
// machine other clusters' processes are named postgres too.
func postgresCPU(postmaster int) time.Duration {
	if postmaster == 0 {
		return 0
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, path := range stats {
		pid, fields, ok := postgresStat(path)
		if !ok || len(fields) < 15 || (pid != postmaster && fields[1] != strconv.Itoa(postmaster)) {
			continue
		}
		for _, f := range fields[11:15] {
			n, _ := strconv.ParseInt(f, 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// postmasterOf is the parent of a backend of the server, when it runs
// here; 0 when it does not (the pid is then another machine's).
func postmasterOf(backend int) int {
	_, fields, ok := postgresStat(fmt.Sprintf("/proc/%d/stat", backend))
	if !ok || len(fields) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid
}

// postgresStat reads a /proc/<pid>/stat of a process named postgres: its
// pid, and the fields after its name (the state first, then the parent).
func postgresStat(path string) (pid int, fields []string, ok bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, false
	}
	s := string(raw)
	open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 1 || close < open || s[open+1:close] != "postgres" {
		return 0, nil, false
	}
	pid, err = strconv.Atoi(strings.TrimSpace(s[:open]))
	return pid, strings.Fields(s[close+1:]), err == nil
}
