package core

import (
	"context"
	"encoding/json"
	"time"
)

// Message kinds: what a person sent, a reply to it, or a notice nobody
// asked for.
const (
	KindInbound = "inbound"
	KindReply   = "reply"
	KindNotice  = "notice"
)

// Message statuses, in the order a message moves through them.
const (
	StatusReceived   = "received"   // inbound, stored
	StatusQueued     = "queued"     // outbound, waiting for its turn and its send
	StatusSent       = "sent"       // the provider took it
	StatusDelivered  = "delivered"  // the provider says the phone got it
	StatusFailed     = "failed"     // it will not be sent, or was not delivered
	StatusSuppressed = "suppressed" // a notice to someone who sent STOP
)

// Priorities of outbound messages, best first: a reply to someone who
// just wrote, a notice nobody asked for, one of many sent at once (a
// recall, a broadcast).
const (
	PriorityReply  = 1
	PriorityNotice = 2
	PriorityBulk   = 3
)

// Message is one message in or out, as the operator's history shows it.
type Message struct {
	ID         int64           `json:"id"`
	Direction  string          `json:"direction"` // in, out
	Kind       string          `json:"kind"`
	Channel    string          `json:"channel"`
	URN        URN             `json:"urn"`
	Text       string          `json:"text"`
	Meta       json.RawMessage `json:"meta,omitempty"`
	ProviderID string          `json:"provider_id,omitempty"`
	InReplyTo  *int64          `json:"in_reply_to,omitempty"`
	Status     string          `json:"status"`
	Segments   int             `json:"segments,omitempty"`
	Error      string          `json:"error,omitempty"`
	Priority   int             `json:"priority,omitempty"`
	Attempts   int             `json:"attempts,omitempty"` // send attempts that failed
	// SlotAt is the turn a queued message was given; nil while it waits
	// for one.
	SlotAt    *time.Time `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Arrival is a stored inbound message's sender, as Arrive read them.
type Arrival struct {
	Stored  bool // false for a provider's retry: nothing else is read
	Recent  int  // messages the URN sent in the window, this one included
	Contact *Contact
	Member  *Member // nil when no member holds the URN
}

// MessageService stores messages and their delivery.
type MessageService interface {
	// Arrive stores m unless its channel and provider id are known
	// already (Stored is false for a provider's retry) and reads, in the
	// same round trip, what answering it needs first: the sender's contact, the
	// member behind the URN, and how many messages the URN sent in the
	// last window, this one included (up to atMost, enough to tell a
	// flood).
	Arrive(ctx context.Context, m *Message, window time.Duration, atMost int) (*Arrival, error)
	// StoreOutbound stores m as queued (or suppressed, when its status says so).
	StoreOutbound(ctx context.Context, m *Message) error
	FindMessage(ctx context.Context, id int64) (*Message, error)
	// MarkSent records the provider's answer, and any delivery report that
	// came before it.
	MarkSent(ctx context.Context, id int64, providerID string) error
	MarkFailed(ctx context.Context, id int64, reason string) error
	// ClaimTurns gives the best queued messages of a channel their turns,
	// from the channel's next free moment up to the claim's horizon, at its
	// pace, and claims them for the process whose workers will send them.
	// next is when more may get a turn; zero when none waits.
	ClaimTurns(ctx context.Context, c TurnClaim) (turns []Turn, next time.Time, err error)
	// Requeue hands a message whose send failed back to the line, to be
	// given a new turn no sooner than notBefore, with its count of failed
	// attempts now attempts (a wait the provider asked for is none).
	Requeue(ctx context.Context, id int64, notBefore time.Time, attempts int, reason string) error
	// ReturnTurn puts a message whose turn passed unused back in line,
	// unless another process holds its turn by now.
	ReturnTurn(ctx context.Context, id int64, process string) error
	// ReleaseTurns puts back in line the turns a stopping process claimed
	// and did not use.
	ReleaseTurns(ctx context.Context, process string) error
	// ReportDelivery records a provider's delivery report; a report for a
	// message that has no provider id yet waits for MarkSent.
	ReportDelivery(ctx context.Context, channel, providerID, status, reason string) error
	// CountInboundSince counts what urn sent since a moment: flood control.
	CountInboundSince(ctx context.Context, urn URN, since time.Time) (int, error)
	// LastInboundChannel is the channel, of those given, that urn last
	// wrote through; "" when none.
	LastInboundChannel(ctx context.Context, urn URN, channels []string) (string, error)
	// FindMessagesByURN is a person's history, newest first.
	FindMessagesByURN(ctx context.Context, urn URN, limit int) ([]*Message, error)
}

// Pace is how fast a channel may send: one send per Every over the whole
// channel and one per PerChat to any one person; zero is no limit.
type Pace struct {
	Every   time.Duration
	PerChat time.Duration
}

// TurnClaim is what a process asks of a channel's turns.
type TurnClaim struct {
	Channel, Process string
	Pace             Pace
	// Horizon is how far from now turns are given.
	Horizon time.Duration
	// Lead is how far from now the first turn is at the soonest: time for
	// the claim to commit and an idle worker to wake (its first connection,
	// its first read), since a send that starts late comes too close to
	// the next one, which is on time.
	Lead time.Duration
	// Max bounds the turns: the workers the process has free.
	Max int
}

// Turn is a queued message's moment to be sent, and what sending it
// needs: its ID, Kind, Channel, URN, Text, Segments, Meta and Attempts.
type Turn struct {
	At time.Time
	Message
	// Stopped is a notice's recipient having sent STOP, as the claim read.
	Stopped bool
}

// Queued is what waits to be sent on one channel: how many messages, and
// how long the oldest has waited.
type Queued struct {
	Channel string
	Depth   int64
	Oldest  time.Duration
}
