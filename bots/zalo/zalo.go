// Package zalo is the Zalo Official Account channel on the pipeline:
// events in by a signed webhook, replies out through OA API v3's
// consultation messages, and the OA's single-use refresh tokens rotated
// through a store every gateway process shares.
package zalo

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/core"
)

// Config is what the Zalo channel needs.
type Config struct {
	AppID        string
	AppSecret    string // the app's secret key: the secret_key header of a token refresh
	OASecretKey  string // the OA secret key: webhook signatures
	RefreshToken string // seeds an empty token store
	// OpenAPIBase and OAuthBase override https://openapi.zalo.me and
	// https://oauth.zaloapp.com (tests).
	OpenAPIBase string
	OAuthBase   string
}

// Zalo is the Zalo OA channel.
type Zalo struct {
	cfg    Config
	tokens core.TokenStore
	client *http.Client
}

var _ channel.Channel = (*Zalo)(nil)

// New is the channel over a token store.
func New(cfg Config, tokens core.TokenStore) *Zalo {
	if cfg.OpenAPIBase == "" {
		cfg.OpenAPIBase = "https://openapi.zalo.me"
	}
	if cfg.OAuthBase == "" {
		cfg.OAuthBase = "https://oauth.zaloapp.com"
	}
	return &Zalo{cfg: cfg, tokens: tokens, client: &http.Client{Timeout: 20 * time.Second}}
}

// Name is stored on Zalo's messages.
func (z *Zalo) Name() string { return name }

// Pace is half the 20 sends a second integrators report for the OA API
// (Zalo's own figure could not be read here), and one a second to any
// one user; Zalo's -32 says the app went over in a minute, and waits.
// SEND_RATES overrides it.
func (z *Zalo) Pace() core.Pace { return core.Pace{Every: time.Second / 10, PerChat: time.Second} }

// Capabilities are Zalo's as we use it: photos come in, menus are
// numbered lines (v3's cs text message documents no quick replies), and
// maxText characters a message.
func (z *Zalo) Capabilities() dialog.Capabilities {
	return dialog.Capabilities{Photos: true, MaxText: maxText}
}

// maxText is Zalo's limit on a consultation text message: 2,000
// characters, as integrators report it (Zalo's own page could not be
// checked).
const maxText = 2000

// Render lays a reply out as plain lines: the text, the menu numbered
// (0 cancels), the link last and whole.
func (z *Zalo) Render(r dialog.Reply) channel.Outgoing {
	return channel.Outgoing{Text: r.Text()}
}

// Send sends the text, split at Zalo's limit, and returns the last
// part's message id.
func (z *Zalo) Send(ctx context.Context, to core.URN, out channel.Outgoing) (string, error) {
	user := to.Path()
	if to.Scheme() != name || user == "" {
		return "", &channel.SendError{Kind: channel.Permanent, Err: fmt.Errorf("%s is not a Zalo user", to)}
	}
	var id string
	for _, part := range split(out.Text, maxText) {
		var err error
		if id, err = z.sendText(ctx, user, part); err != nil {
			return "", err
		}
	}
	return id, nil
}

// split cuts text into parts of at most n characters, at a line break
// when there is one.
func split(text string, n int) []string {
	var parts []string
	for utf8.RuneCountInString(text) > n {
		r := []rune(text)
		head := string(r[:n])
		cut := n
		if i := strings.LastIndex(head, "\n"); i > 0 {
			cut = utf8.RuneCountInString(head[:i])
		}
		parts = append(parts, string(r[:cut]))
		text = strings.TrimLeft(string(r[cut:]), "\n")
	}
	return append(parts, text)
}
