package core

import (
	"context"
	"time"
)

// StampState is where a stamp is in its life.
type StampState string

const (
	StampIssued    StampState = "issued"    // printed, not on a product yet
	StampActivated StampState = "activated" // linked to a lot
	StampVoid      StampState = "void"      // lost or damaged
)

const (
	// MaxBatch is the most stamps one batch issues.
	MaxBatch = 1_000_000
	// MaxRange is the most serials one activation or voiding covers: a whole
	// batch at most.
	MaxRange = MaxBatch
)

// StampBatch is a print run of stamps with consecutive serials.
type StampBatch struct {
	ID          int64 `json:"id"`
	FacilityID  int64 `json:"facility_id"`
	FirstSerial int64 `json:"first_serial"`
	LastSerial  int64 `json:"last_serial"`
	Count       int   `json:"count"`
	// PIN says its stamps carry hidden PINs, printed under a scratch-off.
	PIN       bool      `json:"pin"`
	CreatedAt time.Time `json:"created_at"`
}

// Stamp is one printed stamp.
type Stamp struct {
	FacilityID int64 `json:"facility_id"`
	Serial     int64 `json:"serial"`
	Code       Code  `json:"code"`
	// PIN is its hidden PIN, for the printer, when its batch has PINs.
	PIN string `json:"pin,omitempty"`
}

// SerialRange is an inclusive range of serials, as typed `1201-1500`.
type SerialRange struct {
	From, To int64
}

// Len is how many serials the range covers.
func (r SerialRange) Len() int64 { return r.To - r.From + 1 }

// Validate checks the range is the right way round and not too long.
func (r SerialRange) Validate() error {
	if r.From < 1 || r.To < r.From {
		return Errorf(EINVALID, "serial range %d-%d is not valid", r.From, r.To)
	}
	if r.Len() > MaxRange {
		return Errorf(EINVALID, "serial range %d-%d is longer than %d", r.From, r.To, MaxRange)
	}
	return nil
}

// ActivationResult counts what an activation did with each serial.
type ActivationResult struct {
	Lot       *Lot  `json:"lot"`
	Activated int64 `json:"activated"` // newly linked to the lot
	Already   int64 `json:"already"`   // were already on this lot
	OtherLot  int64 `json:"other_lot"` // are on another lot: left there
	Void      int64 `json:"void"`      // were voided: never reactivated
	Missing   int64 `json:"missing"`   // no such serial at this facility
}

// VoidResult counts what a voiding did with each serial.
type VoidResult struct {
	Voided  int64 `json:"voided"`
	Already int64 `json:"already"`
	Missing int64 `json:"missing"`
}

// StampService issues, activates and voids stamps.
type StampService interface {
	// IssueBatch creates count stamps whose serials continue the facility's.
	IssueBatch(ctx context.Context, facilityID int64, count int, pin bool) (*StampBatch, error)
	FindBatchByID(ctx context.Context, id int64) (*StampBatch, error)
	// FindBatches lists a facility's batches, newest first.
	FindBatches(ctx context.Context, facilityID int64) ([]*StampBatch, error)
	// EachStampOfBatch calls fn for every stamp of the batch in serial order.
	EachStampOfBatch(ctx context.Context, batchID int64, fn func(Stamp) error) error
	// Activate links the actor's facility's stamps in r to its lot lotCode.
	Activate(ctx context.Context, actor *Member, lotCode string, r SerialRange) (*ActivationResult, error)
	// Void marks the actor's facility's stamps in r as lost or damaged.
	Void(ctx context.Context, actor *Member, r SerialRange) (*VoidResult, error)
	// FindStamps lists the facility's stamps in r, in serial order.
	FindStamps(ctx context.Context, facilityID int64, r SerialRange) ([]*StampInfo, error)
}

// StampInfo is a stamp with where it is in its life.
type StampInfo struct {
	Stamp
	State StampState `json:"state"`
	LotID *int64     `json:"lot_id"`
}
