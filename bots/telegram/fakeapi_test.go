package telegram_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"tracegate/bots/channel/channeltest"
)

const token = "123456:TEST-token"

// tick is the fake's second: it holds the gateway to Telegram's limits,
// 20 times faster, and the worlds pace the gateway to match.
const tick = 50 * time.Millisecond

// fakeBotAPI is the Telegram Bot API on loopback. It records every call
// and answers sendMessage from a script of errors, then as Telegram does:
// it numbers messages inside each chat (two chats get the same message_id
// all the time), refuses a text over 4,096 characters, and answers 429
// to a sender over Telegram's limits, allowing the short bursts Telegram
// allows.
type fakeBotAPI struct {
	srv *httptest.Server

	mu      sync.Mutex
	calls   []call
	errors  []apiError
	lastID  map[string]int      // by chat_id
	buckets map[string]*bucket  // by chat_id, and "" for the whole bot
	limited int                 // sends refused for going over the limits
	latency channeltest.Latency // before each answer

	updates  []string // queued for getUpdates, in order
	polling  int      // getUpdates calls in flight now
	maxPolls int      // the most ever in flight at once
}

// queue makes updates available to getUpdates.
func (f *fakeBotAPI) queue(updates ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, updates...)
}

type call struct {
	Method string
	Params url.Values
	Failed bool // answered with an error
}

// bucket is a limit with room for a burst: size sends at once, refilled
// at size every per.
type bucket struct {
	size   float64
	per    time.Duration
	tokens float64
	at     time.Time
}

func (b *bucket) take(now time.Time) bool {
	if b.at.IsZero() {
		b.tokens = b.size
	}
	b.tokens = min(b.size, b.tokens+b.size*float64(now.Sub(b.at))/float64(b.per))
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// limits are Telegram's: about 30 a second in all, 1 a second to a private
// chat (bursts of a few let through), 20 a minute to a group.
func (f *fakeBotAPI) withinLimits(chat string, now time.Time) bool {
	if f.buckets[""] == nil {
		f.buckets[""] = &bucket{size: 30, per: tick}
	}
	if f.buckets[chat] == nil {
		f.buckets[chat] = &bucket{size: 3, per: 3 * tick}
		if strings.HasPrefix(chat, "-") {
			f.buckets[chat] = &bucket{size: 20, per: 60 * tick}
		}
	}
	return f.buckets[""].take(now) && f.buckets[chat].take(now)
}

type apiError struct {
	Code        int
	RetryAfter  int
	Description string // Telegram's words; the status text when empty
}

func newFakeBotAPI(t testing.TB, errs ...apiError) *fakeBotAPI {
	f := &fakeBotAPI{errors: errs, lastID: map[string]int{}, buckets: map[string]*bucket{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// endpoint is TELEGRAM_API_ENDPOINT for this server.
func (f *fakeBotAPI) endpoint() string { return f.srv.URL + "/bot%s/%s" }

func (f *fakeBotAPI) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/file/bot"+token+"/photos/file_7.jpg" {
		f.latency.Wait()
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte("\xff\xd8\xff\xe0 a jpeg"))
		return
	}
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+token+"/")
	if !ok {
		f.latency.Wait()
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
		return
	}
	r.ParseForm()
	if method == "getUpdates" {
		f.getUpdates(w, r)
		return
	}
	// Telegram acts on a call when it arrives; the caller learns of it an
	// answer's time later.
	status, body := f.answer(method, r.PostForm)
	f.latency.Wait()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

// answer is Telegram's status and body for a call other than getUpdates.
func (f *fakeBotAPI) answer(method string, form url.Values) (int, []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call{Method: method, Params: form})
	var out bytes.Buffer
	switch method {
	case "getMe":
		fmt.Fprint(&out, `{"ok":true,"result":{"id":123456,"is_bot":true,"first_name":"Tracegate","username":"TracegateBot"}}`)
	case "sendMessage":
		chat := form.Get("chat_id")
		e, failed := f.refusal(chat, form.Get("text"))
		if failed {
			f.calls[len(f.calls)-1].Failed = true
			body := map[string]any{"ok": false, "error_code": e.Code, "description": cmp.Or(e.Description, http.StatusText(e.Code))}
			if e.RetryAfter > 0 {
				body["parameters"] = map[string]int{"retry_after": e.RetryAfter}
			}
			json.NewEncoder(&out).Encode(body)
			return e.Code, out.Bytes()
		}
		f.lastID[chat]++
		fmt.Fprintf(&out, `{"ok":true,"result":{"message_id":%d,"date":1764330000,"chat":{"id":%s,"type":"private"},"text":%q}}`,
			f.lastID[chat], chat, form.Get("text"))
	case "getFile":
		fmt.Fprintf(&out, `{"ok":true,"result":{"file_id":%q,"file_unique_id":"u1","file_size":98000,"file_path":"photos/file_7.jpg"}}`,
			form.Get("file_id"))
	default: // setWebhook, setMyCommands, answerCallbackQuery, deleteWebhook
		fmt.Fprint(&out, `{"ok":true,"result":true}`)
	}
	return http.StatusOK, out.Bytes()
}

// refusal is the error a send gets: the next scripted one, else what
// Telegram says to a text too long or a sender too fast.
func (f *fakeBotAPI) refusal(chat, text string) (apiError, bool) {
	switch {
	case len(f.errors) > 0:
		e := f.errors[0]
		f.errors = f.errors[1:]
		return e, true
	case utf8.RuneCountInString(text) > 4096:
		return apiError{Code: 400, Description: "Bad Request: message is too long"}, true
	case !f.withinLimits(chat, time.Now()):
		f.limited++
		return apiError{Code: 429, RetryAfter: 1, Description: "Too Many Requests: retry after 1"}, true
	}
	return apiError{}, false
}

// over is how many sends went over Telegram's limits.
func (f *fakeBotAPI) over() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.limited
}

// sent are the sendMessage calls that succeeded, in order.
func (f *fakeBotAPI) sent() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []url.Values
	for _, c := range f.calls {
		if c.Method == "sendMessage" && !c.Failed {
			out = append(out, c.Params)
		}
	}
	return out
}

func (f *fakeBotAPI) called(method string) []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []url.Values
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c.Params)
		}
	}
	return out
}

// getUpdates answers like Telegram: the updates from offset on; when there
// are none, after a short wait, an empty list. Either comes an answer's
// latency later, the call still in flight meanwhile.
func (f *fakeBotAPI) getUpdates(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls = append(f.calls, call{Method: "getUpdates", Params: r.PostForm})
	f.polling++
	f.maxPolls = max(f.maxPolls, f.polling)
	offset, _ := strconv.Atoi(r.PostForm.Get("offset"))
	var batch []json.RawMessage
	for _, u := range f.updates {
		var id struct {
			UpdateID int `json:"update_id"`
		}
		json.Unmarshal([]byte(u), &id)
		if id.UpdateID >= offset && len(batch) < 100 {
			batch = append(batch, json.RawMessage(u))
		}
	}
	f.mu.Unlock()
	if len(batch) == 0 {
		time.Sleep(50 * time.Millisecond)
	}
	f.latency.Wait()
	f.mu.Lock()
	f.polling--
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": append([]json.RawMessage{}, batch...)})
}
