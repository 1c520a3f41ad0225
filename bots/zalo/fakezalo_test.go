package zalo_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"tracegate/bots/channel/channeltest"
)

const (
	appID       = "1234567890123456789"
	appSecret   = "app-secret-key"
	oaSecretKey = "oa-secret-key"
)

// fakeZalo is Zalo's two hosts on loopback, behaving as Zalo does where
// it is inconvenient: a refresh token works once and a reused one is
// refused, an expired or unknown access token is -216, a user who never
// wrote to the OA is -230, a text over 2,000 characters is refused.
type fakeZalo struct {
	t            testing.TB
	openapi      *httptest.Server // openapi.zalo.me, and the CDN photos are on
	oauth        *httptest.Server // oauth.zaloapp.com
	mu           sync.Mutex
	refresh      map[string]bool      // refresh tokens not yet spent
	access       map[string]time.Time // access tokens and their expiry
	lifetime     time.Duration        // of a new access token
	latency      channeltest.Latency  // before each answer
	slowRefresh  time.Duration        // a refresh's on top of latency
	interacted   map[string]bool      // users inside their interaction window
	sent         []sentText
	refreshes    int // refreshes granted
	reused       int // refresh tokens presented a second time
	next         int
	failNext     []int // errors the next sends answer, one each
	failHTTPNext []int // HTTP statuses the next sends answer, one each
}

type sentText struct{ User, Text, ID string }

func newFakeZalo(t testing.TB) *fakeZalo {
	f := &fakeZalo{t: t, refresh: map[string]bool{}, access: map[string]time.Time{},
		lifetime: 25 * time.Hour, interacted: map[string]bool{}}
	f.openapi = httptest.NewServer(http.HandlerFunc(f.serveOpenAPI))
	f.oauth = httptest.NewServer(http.HandlerFunc(f.serveOAuth))
	t.Cleanup(f.openapi.Close)
	t.Cleanup(f.oauth.Close)
	return f
}

// seed is a refresh token as the OA's admin would copy it from Zalo's
// console into ZALO_REFRESH_TOKEN.
func (f *fakeZalo) seed() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mintRefresh()
}

func (f *fakeZalo) mintRefresh() string {
	f.next++
	tok := fmt.Sprintf("refresh-%d", f.next)
	f.refresh[tok] = true
	return tok
}

// interact puts users inside their window, as writing to the OA does.
func (f *fakeZalo) interact(users ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range users {
		f.interacted[u] = true
	}
}

// closeWindow ends a user's interaction window, as time without
// writing to the OA does.
func (f *fakeZalo) closeWindow(user string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.interacted, user)
}

// expireAll lapses every access token issued so far.
func (f *fakeZalo) expireAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for tok := range f.access {
		f.access[tok] = time.Now().Add(-time.Second)
	}
}

func (f *fakeZalo) texts() []sentText {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sentText(nil), f.sent...)
}

func (f *fakeZalo) counts() (refreshes, reused int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refreshes, f.reused
}

func answer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// serveOAuth is POST /v4/oa/access_token: Zalo answers its errors with
// 200 and an error number.
func (f *fakeZalo) serveOAuth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v4/oa/access_token" {
		http.NotFound(w, r)
		return
	}
	f.mu.Lock()
	slow := f.slowRefresh
	f.mu.Unlock()
	time.Sleep(slow) // sends go on meanwhile, with the old token
	v := f.refreshAnswer(r)
	f.latency.Wait()
	answer(w, v)
}

// refreshAnswer is Zalo's answer to a refresh. The token is spent before
// the answer leaves, as at Zalo, where a caller that loses the answer has
// lost the pair.
func (f *fakeZalo) refreshAnswer(r *http.Request) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.Header.Get("secret_key") != appSecret:
		return map[string]any{"error": -14002, "error_name": "Invalid app secret", "error_description": "secret_key is wrong"}
	case r.PostFormValue("app_id") != appID || r.PostFormValue("grant_type") != "refresh_token":
		return map[string]any{"error": -14001, "error_name": "Invalid parameter"}
	}
	tok := r.PostFormValue("refresh_token")
	if !f.refresh[tok] {
		f.reused++
		return map[string]any{"error": -14014, "error_name": "Invalid refresh token", "error_description": "refresh token is invalid or used"}
	}
	delete(f.refresh, tok) // single-use
	f.refreshes++
	f.next++
	access := fmt.Sprintf("access-%d", f.next)
	f.access[access] = time.Now().Add(f.lifetime)
	return map[string]any{"access_token": access, "refresh_token": f.mintRefresh(),
		"expires_in": strconv.Itoa(int(f.lifetime.Seconds()))}
}

// serveOpenAPI is POST /v3.0/oa/message/cs, and the CDN's photos.
func (f *fakeZalo) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/cdn/honey.jpg":
		f.latency.Wait()
		w.Header().Set("Content-Type", "application/octet-stream") // the CDN's word is not trusted
		w.Write(jpeg)
	case r.Method == http.MethodGet && r.URL.Path == "/cdn/page.jpg":
		f.latency.Wait()
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte("<html><body>not a photo</body></html>"))
	case r.Method == http.MethodPost && r.URL.Path == "/v3.0/oa/message/cs":
		f.serveCS(w, r)
	default:
		f.latency.Wait()
		http.NotFound(w, r)
	}
}

// jpeg is the start of a JPEG file: enough for sniffing.
var jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, make([]byte, 64)...)

func (f *fakeZalo) serveCS(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Recipient struct {
			UserID string `json:"user_id"`
		} `json:"recipient"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		f.latency.Wait()
		answer(w, map[string]any{"error": -201, "message": "Parameters are invalid"})
		return
	}
	// Zalo takes a message when it arrives; the caller learns of it an
	// answer's time later.
	status, v := f.csAnswer(r.Header.Get("access_token"), body.Recipient.UserID, body.Message.Text)
	f.latency.Wait()
	if v == nil {
		http.Error(w, http.StatusText(status), status)
		return
	}
	answer(w, v)
}

// csAnswer is Zalo's answer to a text for user: an HTTP status, and the
// body, nil for a bare HTTP error.
func (f *fakeZalo) csAnswer(accessToken, user, text string) (int, any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	// PROVIDERS.md: -216 for an access token invalid or expired alike.
	if exp, ok := f.access[accessToken]; !ok || time.Now().After(exp) {
		return http.StatusOK, map[string]any{"error": -216, "message": "Access token is invalid"}
	}
	if len(f.failHTTPNext) > 0 {
		status := f.failHTTPNext[0]
		f.failHTTPNext = f.failHTTPNext[1:]
		return status, nil
	}
	if len(f.failNext) > 0 {
		code := f.failNext[0]
		f.failNext = f.failNext[1:]
		return http.StatusOK, map[string]any{"error": code, "message": "failed as the test asked"}
	}
	switch n := utf8.RuneCountInString(text); {
	case !f.interacted[user]:
		return http.StatusOK, map[string]any{"error": -230, "message": "User has not interacted with the OA in the last 7 days"}
	case n == 0 || n > 2000:
		return http.StatusOK, map[string]any{"error": -201, "message": "Text length is invalid"}
	}
	f.next++
	id := fmt.Sprintf("%032x", f.next)
	f.sent = append(f.sent, sentText{User: user, Text: text, ID: id})
	return http.StatusOK, map[string]any{"error": 0, "message": "Success", "data": map[string]any{"message_id": id, "user_id": user}}
}
