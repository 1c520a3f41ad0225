package core

import (
	"context"
	"encoding/json"
	"fmt"
)

// Console is what a console account may do, on services bound to one
// transaction: every object is checked against Account.Sees before it
// is read or changed, so a facility account meets another facility's
// objects as ENOTFOUND, whatever ids it guesses; and every change is
// written to the audit log in the transaction that makes it.
type Console struct {
	Account *Account
	S       Services
}

// errNotSeen is how an object the account may not see answers: as if it
// did not exist, so ids cannot be probed.
func errNotSeen(object string, id int64) error {
	return Errorf(ENOTFOUND, "%s %d not found", object, id)
}

// check returns the facility if the account sees it.
func (c Console) check(ctx context.Context, facilityID int64) (*Facility, error) {
	if !c.Account.Sees(facilityID) {
		return nil, errNotSeen("facility", facilityID)
	}
	return c.S.Facilities.FindFacilityByID(ctx, facilityID)
}

// audit writes one change: its action, the object and its state before
// and after (nil for none).
func (c Console) audit(ctx context.Context, action, object string, id, facilityID int64, before, after any) error {
	e := &AuditEntry{AccountID: c.Account.ID, Login: c.Account.Login, Action: action, Object: object,
		ObjectID: id, FacilityID: facilityID}
	var err error
	if e.Before, err = jsonOrNil(before); err != nil {
		return err
	}
	if e.After, err = jsonOrNil(after); err != nil {
		return err
	}
	if err := c.S.Audit.Record(ctx, e); err != nil {
		return fmt.Errorf("audit %s %d: %w", action, id, err)
	}
	return nil
}

func jsonOrNil(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}

// Facilities lists what the account sees: every facility for the agency,
// its own for a facility account.
func (c Console) Facilities(ctx context.Context) ([]*Facility, error) {
	all, err := c.S.Facilities.FindFacilities(ctx)
	if err != nil {
		return nil, err
	}
	seen := all[:0]
	for _, f := range all {
		if c.Account.Sees(f.ID) {
			seen = append(seen, f)
		}
	}
	return seen, nil
}

// Facility is one facility the account sees.
func (c Console) Facility(ctx context.Context, id int64) (*Facility, error) { return c.check(ctx, id) }

// CreateFacility registers a producer; only the agency registers them.
func (c Console) CreateFacility(ctx context.Context, f *Facility) error {
	if c.Account.Role != RoleAgency {
		return Errorf(EFORBIDDEN, "only the agency registers facilities")
	}
	if err := c.S.Facilities.CreateFacility(ctx, f); err != nil {
		return err
	}
	return c.audit(ctx, "facility.create", "facility", f.ID, f.ID, nil, f)
}

// UpdateFacility changes a facility's details.
func (c Console) UpdateFacility(ctx context.Context, f *Facility) error {
	before, err := c.check(ctx, f.ID)
	if err != nil {
		return err
	}
	if err := c.S.Facilities.UpdateFacility(ctx, f); err != nil {
		return err
	}
	return c.audit(ctx, "facility.update", "facility", f.ID, f.ID, before, f)
}

// Products lists a facility's products.
func (c Console) Products(ctx context.Context, facilityID int64) ([]*Product, error) {
	if _, err := c.check(ctx, facilityID); err != nil {
		return nil, err
	}
	return c.S.Products.FindProducts(ctx, facilityID)
}

// CreateProduct adds a product to a facility the account sees.
func (c Console) CreateProduct(ctx context.Context, p *Product) error {
	if _, err := c.check(ctx, p.FacilityID); err != nil {
		return err
	}
	if err := c.S.Products.CreateProduct(ctx, p); err != nil {
		return err
	}
	return c.audit(ctx, "product.create", "product", p.ID, p.FacilityID, nil, p)
}

// Product is one product of a facility the account sees.
func (c Console) Product(ctx context.Context, facilityID, id int64) (*Product, error) {
	products, err := c.Products(ctx, facilityID)
	if err != nil {
		return nil, err
	}
	for _, p := range products {
		if p.ID == id {
			return p, nil
		}
	}
	return nil, errNotSeen("product", id)
}

// UpdateProduct changes a product's details.
func (c Console) UpdateProduct(ctx context.Context, p *Product) error {
	before, err := c.Product(ctx, p.FacilityID, p.ID)
	if err != nil {
		return err
	}
	if err := c.S.Products.UpdateProduct(ctx, p); err != nil {
		return err
	}
	return c.audit(ctx, "product.update", "product", p.ID, p.FacilityID, before, p)
}

// Members lists a facility's members.
func (c Console) Members(ctx context.Context, facilityID int64) ([]*Member, error) {
	if _, err := c.check(ctx, facilityID); err != nil {
		return nil, err
	}
	return c.S.Members.FindMembers(ctx, facilityID)
}

// AddMember registers a member of a facility the account sees.
func (c Console) AddMember(ctx context.Context, m *Member) error {
	if _, err := c.check(ctx, m.FacilityID); err != nil {
		return err
	}
	if err := c.S.Members.CreateMember(ctx, m); err != nil {
		return err
	}
	return c.audit(ctx, "member.create", "member", m.ID, m.FacilityID, nil, m)
}

// RemoveMember takes a member off their facility: their phone and chat
// accounts no longer keep its diary.
func (c Console) RemoveMember(ctx context.Context, id int64) error {
	m, err := c.S.Members.FindMemberByID(ctx, id)
	if err != nil {
		return err
	}
	if !c.Account.Sees(m.FacilityID) {
		return errNotSeen("member", id)
	}
	if err := c.S.Members.RemoveMember(ctx, id); err != nil {
		return err
	}
	return c.audit(ctx, "member.remove", "member", id, m.FacilityID, m, nil)
}

// Batches lists a facility's stamp batches, newest first.
func (c Console) Batches(ctx context.Context, facilityID int64) ([]*StampBatch, error) {
	if _, err := c.check(ctx, facilityID); err != nil {
		return nil, err
	}
	return c.S.Stamps.FindBatches(ctx, facilityID)
}

// Batch is one batch of a facility the account sees.
func (c Console) Batch(ctx context.Context, id int64) (*StampBatch, error) {
	b, err := c.S.Stamps.FindBatchByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !c.Account.Sees(b.FacilityID) {
		return nil, errNotSeen("batch", id)
	}
	return b, nil
}

// IssueBatch issues count new stamps to a facility the account sees,
// with hidden PINs when pin is set.
func (c Console) IssueBatch(ctx context.Context, facilityID int64, count int, pin bool) (*StampBatch, error) {
	if _, err := c.check(ctx, facilityID); err != nil {
		return nil, err
	}
	b, err := c.S.Stamps.IssueBatch(ctx, facilityID, count, pin)
	if err != nil {
		return nil, err
	}
	return b, c.audit(ctx, "batch.issue", "batch", b.ID, facilityID, nil, b)
}

// Lots lists a facility's lots.
func (c Console) Lots(ctx context.Context, facilityID int64) ([]*Lot, error) {
	if _, err := c.check(ctx, facilityID); err != nil {
		return nil, err
	}
	return c.S.Lots.FindLots(ctx, facilityID, 500)
}

// Lot is a lot of a facility the account sees, by its code.
func (c Console) Lot(ctx context.Context, facilityID int64, code string) (*Lot, error) {
	if _, err := c.check(ctx, facilityID); err != nil {
		return nil, err
	}
	return c.S.Lots.FindLotByCode(ctx, facilityID, code)
}

// RecallLot recalls a lot of a facility the account sees.
func (c Console) RecallLot(ctx context.Context, facilityID int64, code, reason string) (*Lot, error) {
	before, err := c.Lot(ctx, facilityID, code)
	if err != nil {
		return nil, err
	}
	lot, err := c.S.Lots.RecallLotByID(ctx, before.ID, reason)
	if err != nil {
		return nil, err
	}
	return lot, c.audit(ctx, "lot.recall", "lot", lot.ID, facilityID, before, lot)
}

// CloseLot closes a lot of a facility the account sees for good.
func (c Console) CloseLot(ctx context.Context, facilityID int64, code string) (*Lot, error) {
	before, err := c.Lot(ctx, facilityID, code)
	if err != nil {
		return nil, err
	}
	// The lot service closes the lots of its actor's facility.
	lot, err := c.S.Lots.CloseLot(ctx, &Member{FacilityID: facilityID}, code)
	if err != nil {
		return nil, err
	}
	return lot, c.audit(ctx, "lot.close", "lot", lot.ID, facilityID, before, lot)
}

// UndoEntry takes back a diary entry of a facility the account sees,
// saying why: the console's correction of a mistake found later than a
// member's own XOA allows.
func (c Console) UndoEntry(ctx context.Context, facilityID, entryID int64, reason string) (*DiaryEntry, error) {
	if _, err := c.check(ctx, facilityID); err != nil {
		return nil, err
	}
	reason, err := cleanText("reason", reason, 1, 500)
	if err != nil {
		return nil, err
	}
	e, err := c.S.Diary.UndoEntry(ctx, facilityID, entryID, reason)
	if err != nil {
		return nil, err
	}
	return e, c.audit(ctx, "entry.undo", "entry", entryID, facilityID, e, map[string]string{"reason": reason})
}

// Feedback is a facility's inbox, newest first.
func (c Console) Feedback(ctx context.Context, facilityID int64) ([]*Feedback, error) {
	if _, err := c.check(ctx, facilityID); err != nil {
		return nil, err
	}
	return c.S.Feedback.FindFeedbacks(ctx, facilityID, 200)
}

// AnswerFeedback is a feedback of a facility the account sees, made ready
// for an answer: the caller relays text to the consumer, and the answer
// is audited here. A feedback from the web form has no one to answer.
func (c Console) AnswerFeedback(ctx context.Context, facilityID, id int64, text string) (*Feedback, error) {
	if _, err := c.check(ctx, facilityID); err != nil {
		return nil, err
	}
	// The service finds feedback by the facility of whoever asks.
	f, err := c.S.Feedback.FindFeedback(ctx, &Member{FacilityID: facilityID}, id)
	if err != nil {
		return nil, err
	}
	if text, err = cleanText("answer", text, 1, 1000); err != nil {
		return nil, err
	}
	if !f.URN.Answerable() {
		return nil, Errorf(EINVALID, "feedback %d came from the web page: there is no one to answer", id)
	}
	return f, c.audit(ctx, "feedback.answer", "feedback", id, facilityID, nil, map[string]string{"answer": text})
}

// Audit lists the log the account may read: all of it for the agency,
// its own facility's changes for a facility account.
func (c Console) Audit(ctx context.Context, before int64, limit int) ([]*AuditEntry, error) {
	if c.Account.Role == RoleAgency {
		return c.S.Audit.FindAudit(ctx, 0, before, limit)
	}
	return c.S.Audit.FindAudit(ctx, c.Account.FacilityID, before, limit)
}

// Reports are the reports of fakes the account may read, the latest and
// the last ReportWindow's by district: one facility's (facilityID > 0),
// or the whole province's (0), which only the agency reads.
func (c Console) Reports(ctx context.Context, facilityID int64) (*ReportDigest, error) {
	if facilityID == 0 {
		if c.Account == nil || c.Account.Disabled || c.Account.Role != RoleAgency {
			return nil, Errorf(EFORBIDDEN, "only the agency reads the province's reports")
		}
	} else if _, err := c.check(ctx, facilityID); err != nil {
		return nil, err
	}
	latest, err := c.S.Reports.FindReports(ctx, facilityID, 200)
	if err != nil {
		return nil, err
	}
	byDistrict, err := c.S.Reports.ReportsByDistrict(ctx, facilityID, reportWindowStart())
	if err != nil {
		return nil, err
	}
	return &ReportDigest{Latest: latest, ByDistrict: byDistrict}, nil
}
