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
