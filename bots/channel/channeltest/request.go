package channeltest

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Request is a request a provider makes to the gateway.
type Request struct {
	Method string     // GET or POST; POST when empty
	Path   string     // with no query: a GET carries Form as its query
	Form   url.Values // a GET's query, a POST's urlencoded body
	Body   string     // a raw body (JSON) instead of Form
	// Header is set after the World's Sign: a value replaces what Sign
	// set, and an empty one removes the header.
	Header   map[string]string
	Unsigned bool // not passed through the World's Sign
}

// Do sends r to the world's gateway and returns the answer's status and
// body; the test fails if the request cannot be made.
func (w *World) Do(t testing.TB, r Request) (int, string) {
	t.Helper()
	status, body, err := w.Send(w.Gateway.URL, r)
	if err != nil {
		t.Fatal(err)
	}
	return status, body
}

// Send sends r to the gateway at base, as a provider would: from any
// goroutine.
func (w *World) Send(base string, r Request) (status int, body string, err error) {
	req, err := w.request(base, r)
	if err != nil {
		return 0, "", err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	return res.StatusCode, string(raw), err
}

func (w *World) request(base string, r Request) (*http.Request, error) {
	method, target, body := r.Method, base+r.Path, r.Body
	if method == "" {
		method = http.MethodPost
	}
	if r.Form != nil {
		if method == http.MethodGet {
			target += "?" + r.Form.Encode()
		} else {
			body = r.Form.Encode()
		}
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("channeltest: %s %s: %w", method, r.Path, err)
	}
	if r.Form != nil && method != http.MethodGet {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if w.Sign != nil && !r.Unsigned {
		w.Sign(req, r)
	}
	for k, v := range r.Header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return req, nil
}
