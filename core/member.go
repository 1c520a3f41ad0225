package core

import (
	"context"
	"time"
)

// Lang is a person's language.
type Lang string

const (
	LangVI Lang = "vi" // the default
	LangEN Lang = "en"
)

// Valid reports whether l is a language we answer in.
func (l Lang) Valid() bool { return l == LangVI || l == LangEN }

// Member is a producer's worker: someone who may keep the facility's diary
// and activate its stamps, reached through one or more URNs.
type Member struct {
	ID         int64     `json:"id"`
	FacilityID int64     `json:"facility_id"`
	Name       string    `json:"name"`
	Lang       Lang      `json:"lang"`
	URNs       []URN     `json:"urns"`
	CreatedAt  time.Time `json:"created_at"`
}

// Validate trims and checks the fields; URNs must already be normalised.
func (m *Member) Validate() error {
	if m.FacilityID <= 0 {
		return Errorf(EINVALID, "facility_id is required")
	}
	var err error
	if m.Name, err = cleanText("name", m.Name, 1, 200); err != nil {
		return err
	}
	if m.Lang == "" {
		m.Lang = LangVI
	}
	if !m.Lang.Valid() {
		return Errorf(EINVALID, "lang must be vi or en")
	}
	if len(m.URNs) == 0 {
		return Errorf(EINVALID, "a member needs a phone number or a Telegram account")
	}
	return nil
}

// MemberService manages members and finds who is writing.
type MemberService interface {
	CreateMember(ctx context.Context, m *Member) error
	// FindMemberByURN returns ENOTFOUND when no member holds urn: a stranger.
	FindMemberByURN(ctx context.Context, urn URN) (*Member, error)
	// AddURN links another URN to a member (a Telegram account to the
	// phone they were registered with); ECONFLICT if it is someone else's.
	AddURN(ctx context.Context, memberID int64, urn URN) error
	// FindMembers lists a facility's members: who hears its notices.
	FindMembers(ctx context.Context, facilityID int64) ([]*Member, error)
	// FindMemberByID returns ENOTFOUND for no such member.
	FindMemberByID(ctx context.Context, id int64) (*Member, error)
	// RemoveMember deletes a member and their URNs; what they recorded
	// stays, as theirs.
	RemoveMember(ctx context.Context, id int64) error
	// IssueLinkCode gives a member a code that links a chat account for
	// LinkCodeTTL; the member's earlier codes stop working.
	IssueLinkCode(ctx context.Context, memberID int64) (LinkCode, error)
	// LinkByCode links urn to the member a live code was issued to, and
	// uses the code up. A wrong or expired code is refused with its
	// Reason and counted against urn, which LinkTries wrong codes lock
	// out for LinkLockout (ReasonLinkLocked, Data "Until"); an account
	// that is another member's is ReasonLinkTaken, and keeps the code.
	LinkByCode(ctx context.Context, urn URN, code string) (*Member, error)
}
