package core

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"regexp"
	"time"
)

// Linking a chat account to a member: the member texts LIENKET from the
// phone they were registered with, and sends the code they get back from
// the Zalo or Telegram account to link. Holding the phone is the proof;
// the rules below bound how long that proof lasts and how often an
// account may guess.
const (
	LinkCodeTTL = 10 * time.Minute // how long a code links
	LinkTries   = 5                // wrong codes an account may send...
	LinkLockout = time.Hour        // ...before it may send none for this long
)

// Why a code linked nothing, for the dialog to say.
const (
	ReasonLinkCodeWrong   = "link_code_wrong"
	ReasonLinkCodeExpired = "link_code_expired"
	ReasonLinkLocked      = "link_locked"
	ReasonLinkTaken       = "link_taken"
)

var linkCodePattern = regexp.MustCompile(`^[1-9][0-9]{5}$`)

// IsLinkCode reports whether s is shaped like a linking code: six digits,
// the first not 0 (a code read aloud or copied keeps all six).
func IsLinkCode(s string) bool { return linkCodePattern.MatchString(s) }

// NewLinkCode draws a code from a cryptographic source: 900,000 codes, of
// which a handful are live at a time, behind LinkTries guesses an hour.
func NewLinkCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(900_000))
	if err != nil {
		return "", fmt.Errorf("link code: %w", err)
	}
	return fmt.Sprint(100_000 + n.Int64()), nil
}

// LinkCode is a code issued to a member.
type LinkCode struct {
	Code      string
	ExpiresAt time.Time
}
