package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"tracegate/core/postgres/pgcluster"
)

// pgbench is pgbench's TPC-B on the bench's server: the bare work of a
// write transaction (three updates, a select, an insert), with a scale
// of as many branches as clients, so the clients do not queue on one row.
type pgbench struct {
	bin, url string
	plan     benchPlan
	// undurable names the commit settings that are off in pgbench's
	// sessions; empty when its commits are durable.
	undurable string
}

func newPgbench(ctx context.Context, server *pgServer, plan benchPlan) (*pgbench, error) {
	dir, err := pgcluster.FindBinaries()
	if err != nil {
		return nil, err
	}
	url, err := server.fresh(ctx, "pgbench")
	if err != nil {
		return nil, err
	}
	p := &pgbench{bin: filepath.Join(dir, "pgbench"), url: url, plan: plan}
	out, err := exec.CommandContext(ctx, p.bin, "-i", "-q", "-s", strconv.Itoa(plan.Clients), url).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("pgbench -i: %w\n%s", err, out)
	}
	if p.undurable, err = psqlUndurable(ctx, dir, url); err != nil {
		return nil, err
	}
	return p, nil
}

var pgbenchTPS = regexp.MustCompile(`tps = ([0-9.]+)`)

// run is TPC-B for the plan's duration with its clients; it returns the
// transactions a second and what each cost (pgbench's own CPU as "here").
func (p *pgbench) run(ctx context.Context) (float64, cost, error) {
	secs := max(1, int(p.plan.Duration.Seconds()))
	threads := min(p.plan.Clients, 2)
	meter := costMeter{p.url}
	before, err := meter.now(ctx)
	if err != nil {
		return 0, cost{}, err
	}
	cmd := exec.CommandContext(ctx, p.bin, "-n", "-c", strconv.Itoa(p.plan.Clients), "-j", strconv.Itoa(threads),
		"-T", strconv.Itoa(secs), p.url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, cost{}, fmt.Errorf("pgbench: %w\n%s", err, out)
	}
	m := pgbenchTPS.FindSubmatch(out)
	if m == nil {
		return 0, cost{}, fmt.Errorf("no tps in pgbench's output:\n%s", out)
	}
	tps, _ := strconv.ParseFloat(string(m[1]), 64)
	each, err := meter.since(ctx, before, int(tps*float64(secs)))
	each.self = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()) / time.Duration(max(1, int(tps*float64(secs))))
	return tps, each, err
}
