package core

import (
	"context"
	"encoding/json"
	"time"
)

// Contact is what we remember of anyone who writes, member or not.
type Contact struct {
	URN     URN
	Lang    Lang // "" until they choose one
	Stopped bool // they sent STOP: no notices until START
	// Pending is the question the conversation waits on, in the dialog's
	// own encoding; nil when none is pending or it has expired.
	Pending json.RawMessage
}

// ContactService keeps contacts. A URN never seen is a zero contact, not
// an error.
type ContactService interface {
	FindContact(ctx context.Context, urn URN) (*Contact, error)
	SetLang(ctx context.Context, urn URN, lang Lang) error
	SetStopped(ctx context.Context, urn URN, stopped bool) error
	// SetPending stores the question until `until`; nil clears it.
	SetPending(ctx context.Context, urn URN, pending json.RawMessage, until time.Time) error
}
