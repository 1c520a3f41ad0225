// Package capturetest is an EPCIS 2.0 repository's capture endpoint on
// loopback, for tests: it checks each request as a repository would (the
// headers of the REST binding, a bearer token, a body that is an
// EPCISDocument) and answers as scripted.
package capturetest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"tracegate/bots/epcis"
)

// Answer is how the endpoint answers one request: a status, and a
// Retry-After when set. Status 202 comes with a Location.
type Answer struct {
	Status     int
	RetryAfter string
}

// Repository is the fake. Script answers the requests in turn; once it is
// used up every request gets Then (202 when zero).
type Repository struct {
	URL    string // the capture endpoint, .../epcis/capture
	Token  string // the bearer token required, when set
	Script []Answer
	Then   Answer

	mu       sync.Mutex
	requests int
	accepted map[string]int // eventID: times accepted
	refused  []string       // why requests that broke the binding were refused
	latency  time.Duration
}

// DefaultLatency is how long the repository takes to answer unless told
// otherwise: a repository over the internet answers in tens to hundreds of
// ms, and a fake that answers at once would hide pushes outrunning the
// workers that make them.
const DefaultLatency = 20 * time.Millisecond

// New starts a repository on loopback, closed when the test ends.
func New(t testing.TB, token string, script ...Answer) *Repository {
	r := &Repository{Token: token, Script: script, accepted: map[string]int{}, latency: DefaultLatency}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(srv.Close)
	r.URL = srv.URL + "/epcis/capture"
	return r
}

// Latency sets how long each answer takes.
func (r *Repository) Latency(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.latency = d
}

func (r *Repository) serve(w http.ResponseWriter, req *http.Request) {
	doc, problem := r.check(req)
	r.mu.Lock()
	r.requests++
	n, latency := r.requests, r.latency
	var answer Answer
	if problem != "" {
		r.refused = append(r.refused, problem)
	} else {
		answer = r.Then
		if len(r.Script) > 0 {
			answer, r.Script = r.Script[0], r.Script[1:]
		}
		if answer.Status == 0 {
			answer.Status = http.StatusAccepted
		}
		if answer.Status == http.StatusAccepted {
			for _, ev := range doc.Body.EventList {
				r.accepted[ev.EventID]++
			}
		}
	}
	r.mu.Unlock()
	// The repository has the events before the pusher hears so; the wait is
	// outside the lock, so pushes overlap as they do at a real repository.
	time.Sleep(latency)
	if problem != "" {
		http.Error(w, problem, http.StatusBadRequest)
		return
	}
	if answer.RetryAfter != "" {
		w.Header().Set("Retry-After", answer.RetryAfter)
	}
	if answer.Status != http.StatusAccepted {
		http.Error(w, http.StatusText(answer.Status), answer.Status)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/epcis/capture/%d", n))
	w.WriteHeader(http.StatusAccepted)
}

// check is what a repository refuses with 400 (or 401): a request that is
// not an EPCISDocument sent by the REST binding.
func (r *Repository) check(req *http.Request) (*epcis.Document, string) {
	if req.Method != http.MethodPost || req.URL.Path != "/epcis/capture" {
		return nil, req.Method + " " + req.URL.Path + " is not the capture endpoint"
	}
	if mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type")); mt != epcis.ContentType {
		return nil, "Content-Type " + req.Header.Get("Content-Type")
	}
	if v := req.Header.Get("GS1-EPCIS-Version"); v != "2.0" {
		return nil, "GS1-EPCIS-Version " + v
	}
	if r.Token != "" && req.Header.Get("Authorization") != "Bearer "+r.Token {
		return nil, "Authorization " + req.Header.Get("Authorization")
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err.Error()
	}
	var doc epcis.Document
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, "body: " + err.Error()
	}
	if doc.Type != "EPCISDocument" || doc.SchemaVersion != "2.0" || len(doc.Context) == 0 || doc.Context[0] != epcis.GS1Context {
		return nil, fmt.Sprintf("not an EPCIS 2.0 EPCISDocument: type %q, schemaVersion %q", doc.Type, doc.SchemaVersion)
	}
	if len(doc.Body.EventList) == 0 {
		return nil, "no events"
	}
	for _, ev := range doc.Body.EventList {
		if ev.EventID == "" || ev.EventTime == "" || ev.Type == "" {
			return nil, "an event without type, eventID or eventTime"
		}
	}
	return &doc, ""
}

// Accepted is how many times each eventID was accepted.
func (r *Repository) Accepted() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.accepted))
	for id, n := range r.accepted {
		out[id] = n
	}
	return out
}

// Requests is how many requests came, answered any way.
func (r *Repository) Requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests
}

// Refused is why the requests that broke the binding were refused.
func (r *Repository) Refused() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.refused...)
}
