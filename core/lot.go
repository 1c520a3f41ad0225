package core

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Lot is one run of one product at a facility: a crop season on a plot, a
// processing batch. Its code (L7) is short and per facility.
type Lot struct {
	ID          int64      `json:"id"`
	FacilityID  int64      `json:"facility_id"`
	ProductID   int64      `json:"product_id"`
	ProductCode string     `json:"product_code"`
	ProductName string     `json:"product_name"`
	Code        string     `json:"code"`
	Note        string     `json:"note"`
	OpenedBy    *int64     `json:"opened_by"`
	OpenedAt    time.Time  `json:"opened_at"`
	Status      LotStatus  `json:"status"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
	// A recalled lot is closed too.
	RecalledAt   *time.Time `json:"recalled_at,omitempty"`
	RecallReason string     `json:"recall_reason,omitempty"`
}

// LotStatus is whether a lot still takes diary entries and activations.
type LotStatus string

const (
	LotOpen     LotStatus = "open"
	LotClosed   LotStatus = "closed"
	LotRecalled LotStatus = "recalled"
)

// ReasonLotClosed is the refusal of an entry or activation on a closed lot,
// ReasonLotRecalled of a second recall.
const (
	ReasonLotClosed   = "lot_closed"
	ReasonLotRecalled = "lot_recalled"
)

// RecallWindow is how far back those who looked at a recalled lot are told.
const RecallWindow = 90 * 24 * time.Hour

// CheckOpen refuses work on a lot that is closed.
func (l *Lot) CheckOpen() error {
	if l.Status != LotOpen {
		return Refuse(ECONFLICT, ReasonLotClosed, map[string]any{"Lot": l.Code}, "lot %s is closed", l.Code)
	}
	return nil
}

// ParseLotCode reads a lot code as typed: `L7`, `l7` or just `7`.
func ParseLotCode(s string) (string, error) {
	digits := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "L")
	n, err := strconv.ParseUint(digits, 10, 32)
	if err != nil || n == 0 || n > 999_999_999 || digits[0] == '0' {
		return "", Errorf(EINVALID, "%q is not a lot code", s)
	}
	return "L" + digits, nil
}

// LotService opens and finds lots, always within the actor's facility.
type LotService interface {
	// OpenLot opens a lot of one of the actor's facility's products.
	OpenLot(ctx context.Context, actor *Member, productCode, note string) (*Lot, error)
	// FindLots returns the facility's lots, open ones first (the menus
	// offer what can still be worked on), newest first, at most limit.
	FindLots(ctx context.Context, facilityID int64, limit int) ([]*Lot, error)
	// FindLotByCode returns ENOTFOUND for a code not of this facility.
	FindLotByCode(ctx context.Context, facilityID int64, code string) (*Lot, error)
	// RecallLot recalls a lot of the actor's facility, closing it: every
	// stamp of it answers VerdictRecalled from then on. ENOTFOUND for
	// another facility's or no lot, a ReasonLotRecalled refusal for one
	// recalled already.
	RecallLot(ctx context.Context, actor *Member, code, reason string) (*Lot, error)
	// RecallLotByID is the agency's recall of any lot.
	RecallLotByID(ctx context.Context, lotID int64, reason string) (*Lot, error)
	// RecallAudience are the people to tell of a lot's recall beside its
	// members: who looked up or gave feedback on its stamps in the last
	// RecallWindow and can be written to.
	RecallAudience(ctx context.Context, lotID int64) ([]URN, error)
	// CloseLot closes a lot of the actor's facility for good: ENOTFOUND
	// for another facility's or no lot, a ReasonLotClosed refusal for one
	// closed already.
	CloseLot(ctx context.Context, actor *Member, code string) (*Lot, error)
}
