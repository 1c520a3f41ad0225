package channel

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// HousekeepingArgs is the hourly job that prunes what only matters for a
// while. River runs periodic jobs on its elected leader: one process.
type HousekeepingArgs struct{}

// Kind names the job in River's tables.
func (HousekeepingArgs) Kind() string { return "housekeeping" }

type housekeeper struct {
	river.WorkerDefaults[HousekeepingArgs]
	p *Pipeline
}

func (h *housekeeper) Work(ctx context.Context, _ *river.Job[HousekeepingArgs]) error {
	n, err := h.p.cfg.Store.Housekeep(ctx)
	if err != nil {
		return err
	}
	h.p.cfg.Log.Info("housekeeping", slog.Int64("pruned", n))
	return nil
}

func housekeeping() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) {
			return HousekeepingArgs{}, &river.InsertOpts{Queue: housekeepingQueue}
		}, &river.PeriodicJobOpts{RunOnStart: true})
}

// RollupArgs is the job that adds the lookups and activations written
// since the last run to the dashboard's days, every rollupEvery, so the
// dashboard counts only seconds of rows live whatever the traffic.
type RollupArgs struct{}

// Kind names the job in River's tables.
func (RollupArgs) Kind() string { return "rollup" }

const rollupEvery = 10 * time.Second

type roller struct {
	river.WorkerDefaults[RollupArgs]
	p *Pipeline
}

func (r *roller) Work(ctx context.Context, _ *river.Job[RollupArgs]) error {
	_, err := r.p.cfg.Store.Rollup(ctx, time.Now())
	return err
}

func rollups() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(rollupEvery),
		func() (river.JobArgs, *river.InsertOpts) {
			return RollupArgs{}, &river.InsertOpts{Queue: housekeepingQueue}
		}, nil)
}
