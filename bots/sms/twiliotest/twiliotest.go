// Package twiliotest is Twilio on loopback, for tests and the soak: its
// Messages API as a long code behaves, and the webhooks Twilio sends, in
// their documented shapes and signed as Twilio signs them.
package twiliotest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Error is an answer Twilio gives instead of creating a message: an HTTP
// status and Twilio's error code (21610 for a recipient who sent STOP).
type Error struct {
	Status, Code int
}

// Message is one message Twilio took.
type Message struct {
	SID  string
	Form url.Values // To, From or MessagingServiceSid, Body, StatusCallback
	At   time.Time  // when the request arrived
}

// Server is Twilio's REST API for one account. Like a long code it takes
// every message (Twilio queues what comes faster than the number sends;
// Late counts those) and names each with a fresh SID, unique everywhere.
type Server struct {
	*httptest.Server
	AccountSID string
	// AuthToken, when set, is what a media download must carry (HTTP
	// basic auth, the account SID as user), as Twilio's media URLs need.
	AuthToken string

	mu        sync.Mutex
	errors    []Error
	taken     []Message
	before    func(sid string)
	every     time.Duration
	nextOut   time.Time // when the number is free to send again
	late      int
	latency   time.Duration
	lose      float64 // the share of answers the network loses
	lost      int
	callbacks *callbacks
}

// DefaultLatency is how long the fake takes to answer a send unless told
// otherwise: Twilio's REST API takes 100-600 ms, and a test fake in 0 ms
// would hide every bug where sends outrun the workers that make them.
const DefaultLatency = 20 * time.Millisecond

// New starts the API for accountSID; errs answer the first sends, in order.
func New(accountSID string, errs ...Error) *Server {
	s := &Server{AccountSID: accountSID, errors: errs, every: time.Second, latency: DefaultLatency}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Latency sets how long a send takes to be answered, as Twilio's API
// takes 100-600 ms to create a message.
func (s *Server) Latency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// LoseAnswers makes the network lose the given share of send answers
// after Twilio took the message: the sender sees its connection drop and
// cannot know the message went.
func (s *Server) LoseAnswers(share float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lose = share
}

// Lost counts the answers lost so far.
func (s *Server) Lost() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lost
}

// Before runs fn with the SID before Twilio answers a send: a status
// callback racing the answer.
func (s *Server) Before(fn func(sid string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.before = fn
}

// SendsEvery sets the number's own pace (a long code: 1 a second).
func (s *Server) SendsEvery(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.every = d
}

// mediaJPEG is what every media URL of the account holds: a JPEG's first
// bytes, enough to be recognised as one.
const mediaJPEG = "\xff\xd8\xff\xe0\x00\x10JFIF\x00 an MMS photo"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	account := "/2010-04-01/Accounts/" + s.AccountSID + "/"
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, account+"Messages/") && strings.Contains(r.URL.Path, "/Media/") {
		user, password, ok := r.BasicAuth()
		if s.AuthToken != "" && (!ok || user != s.AccountSID || password != s.AuthToken) {
			http.Error(w, `{"code":20003,"message":"Authenticate"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte(mediaJPEG))
		return
	}
	if r.URL.Path != account+"Messages.json" {
		http.NotFound(w, r)
		return
	}
	r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	s.mu.Lock()
	if len(s.errors) > 0 {
		e := s.errors[0]
		s.errors = s.errors[1:]
		s.mu.Unlock()
		w.WriteHeader(e.Status)
		json.NewEncoder(w).Encode(map[string]any{"code": e.Code, "message": "scripted error", "status": e.Status,
			"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", e.Code)})
		return
	}
	sid := newSID()
	now := time.Now()
	if now.Before(s.nextOut.Add(-s.every / 5)) {
		s.late++ // Twilio queues it behind the ones before
	}
	s.nextOut = later(now, s.nextOut).Add(s.every)
	s.taken = append(s.taken, Message{SID: sid, Form: r.PostForm, At: now})
	before, latency, cb := s.before, s.latency, s.callbacks
	lose := s.lose > 0 && mrand.Float64() < s.lose
	if lose {
		s.lost++
	}
	s.mu.Unlock()
	if before != nil {
		before(sid)
	}
	time.Sleep(latency)
	if cb != nil {
		cb.report(sid, r.PostForm) // from the answer on: Twilio answers "queued", then hands it on
	}
	if lose {
		dropConnection(w)
		return
	}
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{"sid": sid, "status": "queued", "to": r.PostForm.Get("To"),
		"from": r.PostForm.Get("From"), "body": r.PostForm.Get("Body"), "num_segments": "1"})
}

// dropConnection closes the connection without an answer, as a network
// that lost it would look to the sender.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func newSID() string {
	var b [16]byte
	rand.Read(b[:])
	return "SM" + hex.EncodeToString(b[:])
}

// Messages are the messages taken, in the order they came.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.taken...)
}

// Late counts the messages that came while the number was still sending
// earlier ones (by more than a fifth of its interval, for the network's
// jitter): what a sender keeping the pace would not have sent yet.
func (s *Server) Late() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.late
}

// Sign computes X-Twilio-Signature as Twilio documents it: HMAC-SHA1, by
// the auth token, of the URL followed by every POST field sorted by name,
// name then value.
func Sign(authToken, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		b.WriteString(k + form.Get(k))
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Inbound is the incoming-message webhook Twilio posts for an SMS from
// `from` to the account's number `to`, with every field it documents.
func Inbound(accountSID, to, sid, from, body string) url.Values {
	return url.Values{
		"ToCountry": {"US"}, "ToState": {"CA"}, "SmsMessageSid": {sid}, "NumMedia": {"0"},
		"ToCity": {"SAN FRANCISCO"}, "FromZip": {""}, "SmsSid": {sid}, "FromState": {""},
		"SmsStatus": {"received"}, "FromCity": {""}, "Body": {body}, "FromCountry": {"VN"},
		"To": {to}, "ToZip": {"94105"}, "NumSegments": {"1"}, "MessageSid": {sid},
		"AccountSid": {accountSID}, "From": {from}, "ApiVersion": {"2010-04-01"},
	}
}
