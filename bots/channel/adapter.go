package channel

import (
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
)

// Adapter is what an adapter package registers, once, for cmd to list:
// adding a channel is a package that exports one and a line in cmd.
type Adapter struct {
	// Name is the adapter in the log ("twilio is off: ...").
	Name string
	// Load reads the adapter's own variables; an error is one set wrong,
	// and stops every command before it starts.
	Load func(getenv func(string) string) (Settings, error)
	// DevOnly marks a channel only `tracegate dev` has: the phone
	// simulator.
	DevOnly bool
}

// Settings is an adapter's configuration as read from the environment.
// Adapters implement it on their config type, so what makes a
// configuration complete is written beside it.
type Settings interface {
	// Missing says, for the log, what is unset that the channel needs;
	// "" when the configuration is complete and the channel is on.
	Missing() string
	// Open builds the channel once its configuration is complete; an
	// error stops the gateway at start.
	Open(s Shared) (Channel, error)
}

// Shared is what every channel is opened with beside its own
// configuration.
type Shared struct {
	// PublicBaseURL is the gateway's address as the outside world calls
	// it, filled in from the listening address when unset.
	PublicBaseURL string
	// Policy is SMS_ACCENTS, for channels that render as SMS.
	Policy smstext.Policy
	// Tokens is the store of a provider's rotating token pair, shared by
	// every gateway process (Zalo's).
	Tokens func(provider string) core.TokenStore
}
