package channel_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
)

// provider is a fake SMS provider on loopback. It answers sends from a
// script of HTTP statuses (then 200s) after its latency, as a real API
// takes tens to hundreds of milliseconds, and records what it accepted
// and how many sends it held at once.
type provider struct {
	srv     *httptest.Server
	latency time.Duration

	mu          sync.Mutex
	inFlight    int
	maxInFlight int
	script      []int
	only        string // when set, only sends to this number follow the script
	// id makes the id of the n-th accepted send (from 1); unset, FAKEn.
	id       func(to string, n int) string
	attempts int
	accepted []sent
}

type sent struct {
	To, Text string
	At       time.Time
}

func newProvider(t testing.TB, script ...int) *provider {
	p := &provider{script: script, latency: 20 * time.Millisecond}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *provider) serve(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now() // the pace is the provider's, at arrival
	p.mu.Lock()
	p.inFlight++
	p.maxInFlight = max(p.maxInFlight, p.inFlight)
	p.mu.Unlock()
	time.Sleep(p.latency)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inFlight--
	p.attempts++
	status := http.StatusOK
	if len(p.script) > 0 && (p.only == "" || p.only == r.FormValue("to")) {
		status, p.script = p.script[0], p.script[1:]
	}
	switch status {
	case http.StatusOK:
		p.accepted = append(p.accepted, sent{r.FormValue("to"), r.FormValue("text"), arrived})
		id := fmt.Sprintf("FAKE%d", len(p.accepted))
		if p.id != nil {
			id = p.id(r.FormValue("to"), len(p.accepted))
		}
		json.NewEncoder(w).Encode(map[string]string{"id": id})
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(status)
	default:
		w.WriteHeader(status)
	}
}

func (p *provider) sends() []sent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sent(nil), p.accepted...)
}

// sentTo reports whether the provider took a message to the number.
func (p *provider) sentTo(number string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.accepted {
		if s.To == number {
			return true
		}
	}
	return false
}

// busiest is the most sends the provider held at once.
func (p *provider) busiest() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.maxInFlight
}

func (p *provider) tries() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.attempts
}

// fakeChannel is an adapter for the fake provider, classifying its
// answers the way real adapters classify theirs.
type fakeChannel struct {
	url   string
	every time.Duration // one send per every, across processes; 0 for none
}

func (c *fakeChannel) Name() string { return "fake" }

func (c *fakeChannel) Render(r dialog.Reply) channel.Outgoing {
	f := dialog.RenderSMS(r, smstext.Auto, dialog.SMSBudget)
	return channel.Outgoing{Text: f.Text, Segments: f.Segments.Parts}
}

func (c *fakeChannel) Pace() core.Pace { return core.Pace{Every: c.every} }

func (c *fakeChannel) Send(ctx context.Context, to core.URN, out channel.Outgoing) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, "POST", c.url,
		stringsReader(url.Values{"to": {to.Path()}, "text": {out.Text}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusOK:
		var body struct{ ID string }
		err := json.NewDecoder(res.Body).Decode(&body)
		return body.ID, err
	case res.StatusCode == http.StatusTooManyRequests:
		secs, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		return "", &channel.SendError{Kind: channel.Retry, Wait: time.Duration(secs) * time.Second, Err: errors.New("429")}
	case res.StatusCode == http.StatusForbidden:
		return "", &channel.SendError{Kind: channel.Stopped, Err: errors.New("403 blocked")}
	case res.StatusCode >= 500:
		return "", &channel.SendError{Kind: channel.Retry, Err: fmt.Errorf("%d", res.StatusCode)}
	}
	return "", &channel.SendError{Kind: channel.Permanent, Err: fmt.Errorf("%d", res.StatusCode)}
}
