package main

import (
	"context"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/core"
)

// recallWith is the agency's recall of a lot through the pipeline: the
// lot recalled and everyone who should know queued, in one transaction.
func recallWith(p *channel.Pipeline) func(ctx context.Context, lotID int64, reason string) (*core.Lot, error) {
	return func(ctx context.Context, lotID int64, reason string) (*core.Lot, error) {
		var lot *core.Lot
		err := p.Act(ctx, func(ctx context.Context, d *dialog.Dialog) ([]dialog.Notice, error) {
			var err error
			if lot, err = d.Services.Lots.RecallLotByID(ctx, lotID, reason); err != nil {
				return nil, err
			}
			return d.RecallNotices(ctx, lot)
		})
		return lot, err
	}
}
