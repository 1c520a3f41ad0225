package channel

import (
	"context"
	"log/slog"
	"net/http"

	"tracegate/bots/dialog"
)

// What a channel declares beside the Channel interface, each optional: a
// channel that implements none only sends text.

// Capable is a channel that says what it can do; the dialog asks a
// message's capabilities, never its channel's name.
type Capable interface {
	Capabilities() dialog.Capabilities
}

// Concurrent is a channel that says how many sends one process may hold
// at once: enough for the pace its provider allows at the time its API
// takes to answer. SEND_WORKERS overrides it.
type Concurrent interface {
	Concurrency() int
}

// SMSMaxText is what a reply rendered as SMS holds: dialog.SMSBudget
// parts of UCS-2 (67 characters each), which Vietnamese with accents
// takes.
const SMSMaxText = dialog.SMSBudget * 67

// Webhooks is a channel its provider calls over HTTP. Every route it
// serves is Prefix or under Prefix + "/", all served by one Handler; an
// empty Prefix serves nothing (Telegram when it polls).
type Webhooks interface {
	Prefix() string
	Handler(p *Pipeline, log *slog.Logger) http.Handler
}

// Runner is a channel with work of its own while the gateway runs
// (Telegram's polling); Run returns when ctx ends, or at once when there
// is none.
type Runner interface {
	Run(ctx context.Context, p *Pipeline, log *slog.Logger)
}

// PhotoStore is a channel that keeps the photos people send through it:
// the pages fetch them back from it, the provider's credentials never
// reaching a browser.
type PhotoStore interface {
	// HoldsPhoto says whether ref (as on a diary entry) is this channel's.
	HoldsPhoto(ref string) bool
	Photo(ctx context.Context, ref string) (body []byte, contentType string, err error)
}

// Reacher is a channel that can write to people unasked: notices go
// through it.
type Reacher interface {
	Reach() Reach
}

// Reach is whom a channel can write to. Among the channels that reach a
// URN, a notice takes the one the person last wrote through, else the
// default, else any; a fallback only when no other reaches it.
type Reach struct {
	Scheme string // the URNs it reaches: tel, telegram
	Any    bool   // every URN: the terminal plays every phone and chat
	// Default is the channel for someone who never wrote through any of
	// the scheme's (SMS_PROVIDER).
	Default bool
	// Fallback is taken only when nothing else reaches the URN: the dev
	// phone rings for phones when no SMS provider is on.
	Fallback bool
}

// reaches says whether r covers the URNs of scheme.
func (r Reach) reaches(scheme string) bool { return r.Any || r.Scheme == scheme }

// ByName indexes channels by name, for Config.Channels.
func ByName(chs ...Channel) map[string]Channel {
	byName := make(map[string]Channel, len(chs))
	for _, ch := range chs {
		byName[ch.Name()] = ch
	}
	return byName
}
