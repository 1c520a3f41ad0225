// Package channel is the contract every channel adapter meets and the
// pipeline they all plug into: an inbound message is stored and answered
// in one transaction, and every reply and notice waits in the outbox for
// a turn at its channel's pace, which the process that claims it sends,
// retrying, waiting when asked and stopping when it must.
package channel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"tracegate/bots/dialog"
	"tracegate/core"
)

// Channel is one way people reach us: SMS through a provider, Telegram,
// the console.
type Channel interface {
	// Name is stored on every message: sms, telegram, console.
	Name() string
	// Render turns a reply into what this channel sends.
	Render(r dialog.Reply) Outgoing
	// Send delivers out to a person and returns the provider's message id.
	// Errors should be a *SendError; any other error is retried.
	Send(ctx context.Context, to core.URN, out Outgoing) (providerID string, err error)
	// Pace is how fast the provider lets us send, over the channel and to
	// any one chat; it holds across every gateway process.
	Pace() core.Pace
}

// Inbound is a message as an adapter hands it over, normalised.
type Inbound struct {
	URN    core.URN
	Text   string
	Photos []string // photo references (telegram:<file_id>, MMS URLs), at most core.MaxPhotos
	// Album groups messages sent together whose photos come one a message
	// (Telegram's media_group_id).
	Album      string
	Location   *core.Location // a shared place
	Contact    *core.URN      // a shared contact's phone, as a tel URN
	ContactOwn bool           // the shared contact is the sender's own
	Attachment string         // what came that the dialog cannot read: voice, video, sticker, file
	ProviderID string         // unique per channel: the dedupe key
	// ReplyTo is where replies go when not to the sender: the group a
	// command was sent in.
	ReplyTo    core.URN
	ReceivedAt time.Time
	// CutFrom is the length, in characters, of a text the adapter cut to
	// its limit; 0 when whole.
	CutFrom int
}

// check refuses ids no database keeps: the adapter answers 4xx.
func (in Inbound) check() error {
	if err := core.CheckProviderID(in.ProviderID); err != nil {
		return err
	}
	if in.Album == "" {
		return nil
	}
	if err := core.CheckProviderID(in.Album); err != nil {
		return fmt.Errorf("album: %w", err)
	}
	return nil
}

// storable makes whatever a channel hands over storable, here once for
// every channel: text valid UTF-8 without NUL, at most core.MaxPhotos photos.
func (in *Inbound) storable() {
	in.Text = core.StorableText(in.Text)
	var photos []string
	for _, p := range in.Photos {
		if p = core.StorableText(p); p != "" && len(photos) < core.MaxPhotos {
			photos = append(photos, p)
		}
	}
	in.Photos = photos
}

// replyTo is where the replies to in go.
func (in Inbound) replyTo() core.URN {
	if in.ReplyTo != "" {
		return in.ReplyTo
	}
	return in.URN
}

// meta keeps what is not text for the message history.
func (in Inbound) meta() json.RawMessage {
	if len(in.Photos) == 0 && in.Album == "" && in.Location == nil && in.Contact == nil && in.CutFrom == 0 && in.Attachment == "" {
		return nil
	}
	raw, _ := json.Marshal(struct {
		Photos     []string       `json:"photos,omitempty"`
		Album      string         `json:"album,omitempty"`
		Location   *core.Location `json:"location,omitempty"`
		Contact    *core.URN      `json:"contact,omitempty"`
		CutFrom    int            `json:"cut_from,omitempty"`
		Attachment string         `json:"attachment,omitempty"`
	}{in.Photos, in.Album, in.Location, in.Contact, in.CutFrom, in.Attachment})
	return raw
}

// Outgoing is a rendered message: the text, its size, and whatever else the
// channel sends with it (a keyboard).
type Outgoing struct {
	Text     string
	Segments int
	Meta     json.RawMessage
}

// ErrorKind says what to do about a failed send.
type ErrorKind int

const (
	// Retry later: the provider is busy or the network failed.
	Retry ErrorKind = iota
	// Permanent: this message will never go (an invalid number, a bad
	// message); do not try again.
	Permanent
	// Stopped: the person blocked us or opted out; send them nothing more.
	Stopped
	// Unreachable: this channel cannot reach the person for now (Zalo's
	// interaction window has closed); a notice to a member goes to their
	// phone instead.
	Unreachable
)

// SendError classifies a failed send. Wait, when set, is how long the
// provider asked us to wait.
type SendError struct {
	Kind ErrorKind
	Wait time.Duration
	Err  error
}

func (e *SendError) Error() string {
	kinds := map[ErrorKind]string{Retry: "retry", Permanent: "permanent", Stopped: "contact stopped", Unreachable: "unreachable"}
	return fmt.Sprintf("%s: %v", kinds[e.Kind], e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// classify reads any send error as a SendError; an unknown error is
// retried, since a dropped connection is the commonest failure.
func classify(err error) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	return &SendError{Kind: Retry, Err: err}
}
