package core

import (
	"context"
	"regexp"
	"time"
)

// Role is what a console account may do.
type Role string

const (
	// RoleAgency is the province's officer: every facility.
	RoleAgency Role = "agency"
	// RoleFacility is a cooperative's manager: its own facility only.
	RoleFacility Role = "facility"
)

// Account is a login to the web console.
type Account struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
	Role  Role   `json:"role"`
	// FacilityID is the facility a RoleFacility account manages; 0 for
	// the agency.
	FacilityID int64     `json:"facility_id,omitempty"`
	Disabled   bool      `json:"disabled"`
	CreatedAt  time.Time `json:"created_at"`
}

var loginPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// Validate checks a new account: a login people can type, a known role,
// and a facility exactly when the role has one.
func (a *Account) Validate() error {
	switch {
	case !loginPattern.MatchString(a.Login):
		return Errorf(EINVALID, "login %q: 2 to 64 lower-case letters, digits, '.', '_' or '-'", a.Login)
	case a.Role != RoleAgency && a.Role != RoleFacility:
		return Errorf(EINVALID, "role must be agency or facility")
	case a.Role == RoleFacility && a.FacilityID <= 0:
		return Errorf(EINVALID, "a facility account needs its facility")
	case a.Role == RoleAgency && a.FacilityID != 0:
		return Errorf(EINVALID, "an agency account has no facility")
	}
	return nil
}

// Sees reports whether the account may read and change what belongs to
// facility id: the agency every facility, a facility account its own.
func (a *Account) Sees(facilityID int64) bool {
	return a != nil && !a.Disabled && (a.Role == RoleAgency || a.FacilityID == facilityID)
}

// Password rules: long enough to resist guessing at the login limit, short
// enough to hash without letting a request burn the server.
const (
	MinPassword = 10
	MaxPassword = 128
)

// CheckPassword refuses a password out of bounds.
func CheckPassword(p string) error {
	if n := len([]rune(p)); n < MinPassword || n > MaxPassword {
		return Errorf(EINVALID, "a password has %d to %d characters", MinPassword, MaxPassword)
	}
	return nil
}

// Session rules: an idle session ends after SessionIdle, any session after
// SessionMax; a login is refused after LoginTries failures within
// LoginWindow, counted per login and per client address.
const (
	SessionIdle = 30 * time.Minute
	SessionMax  = 12 * time.Hour
	LoginTries  = 5
	LoginWindow = 15 * time.Minute
)

// Session is a logged-in browser.
type Session struct {
	Token     string // the cookie's value; stored only as a hash
	CSRF      string // the token every form of the session carries
	Account   *Account
	ExpiresAt time.Time
}

// ReasonLoginLimited is why a login is refused before its password is
// read: too many failures for that login or from that address.
const ReasonLoginLimited = "login_limited"

// AccountService keeps console accounts and their sessions.
type AccountService interface {
	// CreateAccount stores a new account with the password hashed;
	// ECONFLICT when the login is taken.
	CreateAccount(ctx context.Context, a *Account, password string) error
	// SetPassword replaces a login's password and ends its sessions.
	SetPassword(ctx context.Context, login, password string) error
	// DisableAccount stops a login and ends its sessions.
	DisableAccount(ctx context.Context, login string) error
	FindAccounts(ctx context.Context) ([]*Account, error)
	// LogIn checks a password and opens a session. A wrong login or
	// password is EFORBIDDEN, the same for both; past LoginTries failures
	// for the login or from client it is ReasonLoginLimited, password
	// unread.
	LogIn(ctx context.Context, login, password, client string) (*Session, error)
	// FindSession returns the live session of a token and extends its idle
	// expiry; ENOTFOUND for a token that is unknown, expired or of a
	// disabled account.
	FindSession(ctx context.Context, token string) (*Session, error)
	LogOut(ctx context.Context, token string) error
}

// AuditEntry is one change made through the console: who, when, what,
// and the object before and after (JSON; null for a creation or a
// removal).
type AuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	AccountID  int64     `json:"account_id"`
	Login      string    `json:"login"`
	Action     string    `json:"action"` // facility.create, lot.recall...
	Object     string    `json:"object"` // facility, product, member, lot...
	ObjectID   int64     `json:"object_id"`
	FacilityID int64     `json:"facility_id,omitempty"`
	Before     []byte    `json:"before,omitempty"`
	After      []byte    `json:"after,omitempty"`
}

// AuditService writes the audit log, which no one can edit, and reads it.
type AuditService interface {
	// Record appends an entry; called in the transaction of the change.
	Record(ctx context.Context, e *AuditEntry) error
	// FindAudit lists the newest entries first, of one facility when
	// facilityID > 0, before the entry before (0 for the newest).
	FindAudit(ctx context.Context, facilityID int64, before int64, limit int) ([]*AuditEntry, error)
}
