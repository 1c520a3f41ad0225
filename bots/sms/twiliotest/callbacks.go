package twiliotest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// callbacks posts the status callbacks Twilio makes for each message it
// took: "sent" once the carrier has it, then "delivered", to the
// message's StatusCallback, signed with the account's auth token. Twilio
// does not retry a callback that fails; neither does this.
type callbacks struct {
	account, token string
	after          time.Duration // from the answer to the send to its "sent"
	client         *http.Client
	queues         [2]chan callback // "sent", then "delivered": each in the order due
	wg             sync.WaitGroup
	cancel         context.CancelFunc

	mu       sync.Mutex
	answered map[string]int // status -> callbacks the gateway answered with 2xx
	refused  int
}

type callback struct {
	due  time.Time
	url  string
	form url.Values
}

// ReportStatus makes Twilio post a "sent" callback after (from its answer
// to the send) and "delivered" after it again, to each message's
// StatusCallback, signed with authToken, by as many senders as given.
func (s *Server) ReportStatus(authToken string, after time.Duration, senders int) {
	ctx, cancel := context.WithCancel(context.Background())
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = senders
	cb := &callbacks{account: s.AccountSID, token: authToken, after: after, client: &http.Client{Transport: transport, Timeout: 15 * time.Second},
		cancel: cancel, answered: map[string]int{}}
	for i := range cb.queues {
		cb.queues[i] = make(chan callback, 1<<19)
		for range max(senders/2, 1) {
			cb.wg.Add(1)
			go cb.post(ctx, cb.queues[i])
		}
	}
	s.mu.Lock()
	s.callbacks = cb
	s.mu.Unlock()
}

// Callbacks counts the status callbacks the gateway answered with 2xx, by
// status, and those it refused or never answered.
func (s *Server) Callbacks() (answered map[string]int, refused int) {
	s.mu.Lock()
	cb := s.callbacks
	s.mu.Unlock()
	if cb == nil {
		return nil, 0
	}
	cb.mu.Lock()
	defer cb.mu.Unlock()
	answered = map[string]int{}
	for k, v := range cb.answered {
		answered[k] = v
	}
	return answered, cb.refused
}

// Close stops the callbacks and the server.
func (s *Server) Close() {
	s.mu.Lock()
	cb := s.callbacks
	s.mu.Unlock()
	if cb != nil {
		cb.cancel()
		cb.wg.Wait()
	}
	s.Server.Close()
}

func (cb *callbacks) report(sid string, send url.Values) {
	to := send.Get("StatusCallback")
	if to == "" {
		return
	}
	now := time.Now()
	for i, status := range []string{"sent", "delivered"} {
		form := url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "MessageStatus": {status}, "SmsStatus": {status},
			"AccountSid": {cb.account}, "To": {send.Get("To")}, "From": {send.Get("From")}, "ApiVersion": {"2010-04-01"}}
		select {
		case cb.queues[i] <- callback{due: now.Add(time.Duration(i+1) * cb.after), url: to, form: form}:
		default: // half a million callbacks behind: this one is lost
			cb.count("", false)
		}
	}
}

func (cb *callbacks) post(ctx context.Context, queue chan callback) {
	defer cb.wg.Done()
	for {
		var c callback
		select {
		case <-ctx.Done():
			return
		case c = <-queue:
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(c.due)):
		}
		req, err := http.NewRequestWithContext(ctx, "POST", c.url, strings.NewReader(c.form.Encode()))
		if err != nil {
			cb.count("", false)
			continue
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", Sign(cb.token, c.url, c.form))
		res, err := cb.client.Do(req)
		ok := err == nil && res.StatusCode/100 == 2
		if err == nil {
			res.Body.Close()
		}
		cb.count(c.form.Get("MessageStatus"), ok)
	}
}

func (cb *callbacks) count(status string, ok bool) {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	if ok {
		cb.answered[status]++
	} else {
		cb.refused++
	}
}
