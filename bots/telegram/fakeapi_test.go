package telegram_test

import (
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
)

const token = "123456:TEST-token"

// fakeBotAPI is the Telegram Bot API on loopback. It records every call
// and answers sendMessage from a script of errors, then successes. Like
// Telegram, it numbers messages inside each chat: two chats get the same
// message_id all the time.
type fakeBotAPI struct {
	srv *httptest.Server

	mu     sync.Mutex
	calls  []call
	errors []apiError
	lastID map[string]int // by chat_id

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
}

type apiError struct {
	Code        int
	RetryAfter  int
	Description string // Telegram's words; the status text when empty
}

func newFakeBotAPI(t testing.TB, errs ...apiError) *fakeBotAPI {
	f := &fakeBotAPI{errors: errs, lastID: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// endpoint is TELEGRAM_API_ENDPOINT for this server.
func (f *fakeBotAPI) endpoint() string { return f.srv.URL + "/bot%s/%s" }

func (f *fakeBotAPI) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/file/bot"+token+"/photos/file_7.jpg" {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte("\xff\xd8\xff\xe0 a jpeg"))
		return
	}
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+token+"/")
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
		return
	}
	r.ParseForm()
	if method == "getUpdates" {
		f.getUpdates(w, r)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call{method, r.PostForm})
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "getMe":
		fmt.Fprint(w, `{"ok":true,"result":{"id":123456,"is_bot":true,"first_name":"Tracegate","username":"TracegateBot"}}`)
	case "sendMessage":
		if len(f.errors) > 0 {
			e := f.errors[0]
			f.errors = f.errors[1:]
			w.WriteHeader(e.Code)
			description := e.Description
			if description == "" {
				description = http.StatusText(e.Code)
			}
			body := map[string]any{"ok": false, "error_code": e.Code, "description": description}
			if e.RetryAfter > 0 {
				body["parameters"] = map[string]int{"retry_after": e.RetryAfter}
			}
			json.NewEncoder(w).Encode(body)
			return
		}
		chat := r.PostForm.Get("chat_id")
		f.lastID[chat]++
		fmt.Fprintf(w, `{"ok":true,"result":{"message_id":%d,"date":1764330000,"chat":{"id":%s,"type":"private"},"text":%q}}`,
			f.lastID[chat], chat, r.PostForm.Get("text"))
	case "getFile":
		fmt.Fprintf(w, `{"ok":true,"result":{"file_id":%q,"file_unique_id":"u1","file_size":98000,"file_path":"photos/file_7.jpg"}}`,
			r.PostForm.Get("file_id"))
	default: // setWebhook, setMyCommands, answerCallbackQuery, deleteWebhook
		fmt.Fprint(w, `{"ok":true,"result":true}`)
	}
}

// sent are the sendMessage calls that succeeded, in order.
func (f *fakeBotAPI) sent() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []url.Values
	for _, c := range f.calls {
		if c.Method == "sendMessage" {
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
// are none, after a short wait, an empty list.
func (f *fakeBotAPI) getUpdates(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls = append(f.calls, call{"getUpdates", r.PostForm})
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
	f.mu.Lock()
	f.polling--
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": append([]json.RawMessage{}, batch...)})
}
