package channeltest_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// outbox is a channel that takes every send.
type outbox struct{}

func (outbox) Name() string                           { return "fake" }
func (outbox) Render(r dialog.Reply) channel.Outgoing { return channel.Outgoing{Text: r.Text()} }
func (outbox) Pace() core.Pace                        { return core.Pace{} }
func (outbox) Send(context.Context, core.URN, channel.Outgoing) (string, error) {
	return "", nil
}

// The table runner over a webhook as plain as one can be: a form's
// sender, text and id, refused without the provider's header.
func TestRun(t *testing.T) {
	w := channeltest.New(t, pgtest.Seed{})
	w.Sign = func(r *http.Request, _ channeltest.Request) { r.Header.Set("X-Provider", "yes") }
	ch := outbox{}
	w.Start(t, channel.Config{Channels: map[string]channel.Channel{"fake": ch}, Routes: map[string]string{"tel": "fake"}},
		func(p *channel.Pipeline) http.Handler {
			return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				if r.Header.Get("X-Provider") != "yes" {
					http.Error(rw, "not the provider", http.StatusForbidden)
					return
				}
				in := channel.Inbound{URN: core.URN(r.FormValue("from")), Text: r.FormValue("text"), ProviderID: r.FormValue("id")}
				if err := p.Receive(r.Context(), ch, in); err != nil {
					http.Error(rw, err.Error(), http.StatusBadRequest)
				}
			})
		})
	consumer := core.URN("tel:+84977000001")
	form := func(id, text string) url.Values {
		return url.Values{"from": {string(consumer)}, "text": {text}, "id": {id}}
	}
	channeltest.Run(t, w, []channeltest.Case{
		{Name: "a lookup", Request: channeltest.Request{Path: "/", Form: form("m1", string(w.Codes[0]))}, Status: 200,
			In: &channeltest.In{URN: consumer, Text: string(w.Codes[0]), ProviderID: "m1", Photos: []string{}}, Replies: []string{"chính hãng"}},
		{Name: "its retry", Request: channeltest.Request{Path: "/", Form: form("m1", string(w.Codes[0]))}, Status: 200},
		{Name: "by GET", Request: channeltest.Request{Method: http.MethodGet, Path: "/", Form: form("m2", "HD")}, Status: 200,
			In: &channeltest.In{URN: consumer, Text: "HD"}},
		{Name: "unsigned", Request: channeltest.Request{Path: "/", Form: form("m3", "HD"), Unsigned: true}, Status: 403},
		{Name: "header removed", Request: channeltest.Request{Path: "/", Form: form("m4", "HD"), Header: map[string]string{"X-Provider": ""}}, Status: 403},
	})
	out := w.Settle(t)
	if len(out) != 2 || channeltest.ByStatus(out)[core.StatusSent] != 2 || len(w.OutboundOf(t, consumer)) != 2 {
		t.Fatalf("outbound %v", channeltest.ByStatus(out))
	}
	if n := len(w.Lookups(t)); n != 1 {
		t.Fatalf("%d lookups", n)
	}
}
