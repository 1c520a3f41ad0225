package kanneltest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// recorder stands in for the gateway: it records what Kannel asks of the
// get-url and the dlr-url, and answers 200 with an empty body.
type recorder struct {
	srv      *httptest.Server
	mo, dlrs chan url.Values
}

func newRecorder(t *testing.T) *recorder {
	rec := &recorder{mo: make(chan url.Values, 32), dlrs: make(chan url.Values, 32)}
	mux := http.NewServeMux()
	mux.HandleFunc("/sms/kannel", func(w http.ResponseWriter, r *http.Request) { rec.mo <- r.URL.Query() })
	mux.HandleFunc("/dlr", func(w http.ResponseWriter, r *http.Request) { rec.dlrs <- r.URL.Query() })
	rec.srv = httptest.NewServer(mux)
	t.Cleanup(rec.srv.Close)
	return rec
}

// getURL asks for every parameter the gateway might want: %a (words) and
// %b (the bytes) both, to show how they differ.
func (rec *recorder) getURL() string {
	return rec.srv.URL + "/sms/kannel?secret=S&sender=%p&receiver=%P&text=%a&bin=%b" +
		"&id=%I&time=%t&ts=%T&coding=%c&charset=%C&smsc=%i&service=%n"
}

func (rec *recorder) dlrURL(msg string) string {
	return rec.srv.URL + "/dlr?msg=" + msg + "&type=%d&answer=%A&id=%I&fid=%F&smsc=%i" +
		"&from=%p&to=%P&ts=%T&time=%t&service=%n"
}

func next(t *testing.T, ch chan url.Values, what string) url.Values {
	t.Helper()
	select {
	case q := <-ch:
		return q
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s within 10s", what)
		return nil
	}
}

// sendsms makes the gateway's call to smsbox.
func sendsms(t *testing.T, k *Kannel, q url.Values) {
	t.Helper()
	q.Set("username", "gw")
	q.Set("password", "pw")
	resp, err := http.Get(k.SendsmsURL() + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusAccepted || string(body) != "0: Accepted for delivery" {
		t.Fatalf("sendsms %v: %s %q", q, resp.Status, body)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

const (
	phoneNo = "+84912345678"
	short   = "8079"
	honey   = "Mật ong rất thơm"
)

func TestKannel(t *testing.T) {
	if ok, why := Available(); !ok {
		t.Skip(why)
	}
	t.Parallel()
	rec := newRecorder(t)
	k := Start(t, Options{GetURL: rec.getURL(), Username: "gw", Password: "pw"})

	t.Run("inbound GSM text", func(t *testing.T) {
		// Kannel's clock is C's time(), which reads a coarse clock that
		// can trail Go's by a few milliseconds: a second of slack.
		before := time.Now().UTC().Truncate(time.Second).Add(-time.Second)
		if err := k.Inject(phoneNo, short, "KH L7 1201-1500"); err != nil {
			t.Fatal(err)
		}
		q := next(t, rec.mo, "get-url call")
		t.Logf("get-url query: %s", q.Encode())
		want := map[string]string{
			"secret": "S", "sender": phoneNo, "receiver": short,
			"text": "KH L7 1201-1500", "bin": "KH L7 1201-1500",
			"coding": "0", "charset": "UTF-8", "smsc": "fake", "service": "default",
		}
		for k, v := range want {
			if q.Get(k) != v {
				t.Errorf("%s = %q, want %q", k, q.Get(k), v)
			}
		}
		if !uuidRE.MatchString(q.Get("id")) {
			t.Errorf("id %q is not a UUID", q.Get("id"))
		}
		// %t is UTC "YYYY-MM-DD HH:MM:SS" (the '+' Kannel writes is a
		// space once decoded), %T the same instant in Unix seconds.
		at, err := time.Parse(time.DateTime, q.Get("time"))
		if err != nil || at.Before(before) || at.After(time.Now().Add(time.Second)) {
			t.Errorf("time %q: %v, want UTC now", q.Get("time"), err)
		}
		if ts, _ := strconv.ParseInt(q.Get("ts"), 10, 64); ts != at.Unix() {
			t.Errorf("ts %q, want %d", q.Get("ts"), at.Unix())
		}
	})

	t.Run("inbound URL-special characters", func(t *testing.T) {
		text := "50% off & 2+2=4 € {x}"
		if err := k.Inject(phoneNo, short, text); err != nil {
			t.Fatal(err)
		}
		q := next(t, rec.mo, "get-url call")
		if q.Get("text") != text || q.Get("bin") != text || q.Get("coding") != "0" {
			t.Errorf("query %s, want text and bin %q with coding 0", q.Encode(), text)
		}
	})

	t.Run("inbound Vietnamese arrives as UTF-8", func(t *testing.T) {
		if err := k.Inject(phoneNo, short, honey); err != nil {
			t.Fatal(err)
		}
		q := next(t, rec.mo, "get-url call")
		t.Logf("get-url query: %s", q.Encode())
		// fakesmsc sent UCS-2; mo-recode made it UTF-8 with coding 0.
		if q.Get("text") != honey || q.Get("bin") != honey || q.Get("coding") != "0" || q.Get("charset") != "UTF-8" {
			t.Errorf("query %s, want text and bin %q, coding 0, charset UTF-8", q.Encode(), honey)
		}
	})

	t.Run("inbound %a squeezes blanks, %b keeps them", func(t *testing.T) {
		text := "Dòng 1\n  Dòng 2"
		if err := k.Inject(phoneNo, short, text); err != nil {
			t.Fatal(err)
		}
		q := next(t, rec.mo, "get-url call")
		if q.Get("text") != "Dòng 1 Dòng 2" || q.Get("bin") != text {
			t.Errorf("text %q, bin %q; want %q and %q", q.Get("text"), q.Get("bin"), "Dòng 1 Dòng 2", text)
		}
	})

	t.Run("outbound through sendsms", func(t *testing.T) {
		long := strings.Repeat(honey+". ", 6) // 108 characters: two UCS-2 parts
		sendsms(t, k, url.Values{"from": {short}, "to": {phoneNo}, "text": {honey},
			"coding": {"2"}, "charset": {"UTF-8"}, "dlr-mask": {"31"}, "dlr-url": {rec.dlrURL("mt-1")}})
		sendsms(t, k, url.Values{"from": {short}, "to": {phoneNo}, "text": {"KH L7: 2 items, 50% off"}})
		// Without coding=2 Kannel makes 7-bit GSM, and what GSM lacks turns to '?'.
		sendsms(t, k, url.Values{"from": {short}, "to": {phoneNo}, "text": {honey}, "charset": {"UTF-8"}})
		sendsms(t, k, url.Values{"from": {short}, "to": {phoneNo}, "text": {long}, "coding": {"2"}, "charset": {"UTF-8"}})
		sendsms(t, k, url.Values{"from": {short}, "to": {phoneNo}, "text": {"line 1\nline 2"}})

		want := []SMS{
			{short, phoneNo, honey},
			{short, phoneNo, "KH L7: 2 items, 50% off"},
			{short, phoneNo, "M?t ong r?t th?m"},
			{short, phoneNo, long},
			{short, phoneNo, "line 1\nline 2"},
		}
		got, err := k.WaitReceived(len(want), 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		// No more than these: the sms-service itself (max-messages = 0)
		// answered none of the inbound SMS above.
		if !reflect.DeepEqual(got, want) {
			t.Errorf("fakesmsc got\n%q\nwant\n%q", got, want)
		}
	})

	t.Run("delivery reports", func(t *testing.T) {
		// fakesmsc takes the SMS, so bearerbox reports 8 (delivered to
		// the SMSC, answer "ACK/") and then 1 (delivered to the phone).
		byType := map[string]url.Values{}
		for len(byType) < 2 {
			q := next(t, rec.dlrs, "delivery report")
			t.Logf("dlr-url query: %s", q.Encode())
			byType[q.Get("type")] = q
		}
		for typ, answer := range map[string]string{"8": "ACK/", "1": ""} {
			q := byType[typ]
			if q == nil {
				t.Fatalf("no report of type %s; got %v", typ, byType)
			}
			if q.Get("msg") != "mt-1" || q.Get("answer") != answer || q.Get("smsc") != "fake" ||
				q.Get("from") != phoneNo || q.Get("to") != short || q.Get("service") != "gw" {
				t.Errorf("type %s: %s", typ, q.Encode())
			}
		}
		if !uuidRE.MatchString(byType["1"].Get("fid")) || byType["8"].Get("fid") != "" {
			t.Errorf("fid: %q for type 1 (want a UUID), %q for type 8 (want none)", byType["1"].Get("fid"), byType["8"].Get("fid"))
		}
	})
}

// TestKannelRawUCS2: with mo-recode off, as a stock Kannel runs, UCS-2
// reaches the get-url as UTF-16BE bytes, which %a mangles and %b keeps.
func TestKannelRawUCS2(t *testing.T) {
	if ok, why := Available(); !ok {
		t.Skip(why)
	}
	t.Parallel()
	rec := newRecorder(t)
	k := Start(t, Options{GetURL: rec.getURL(), RawUCS2: true})

	if err := k.Inject(phoneNo, short, honey); err != nil {
		t.Fatal(err)
	}
	q := next(t, rec.mo, "get-url call")
	t.Logf("get-url query: %s", q.Encode())
	if q.Get("coding") != "2" || q.Get("charset") != "UTF-16BE" || decodeUCS2([]byte(q.Get("bin"))) != honey {
		t.Errorf("query %s, want coding 2, charset UTF-16BE, bin %q in UTF-16BE", q.Encode(), honey)
	}

	// “ is U+201C, whose first byte is 0x20: %a splits words at that byte
	// and drops it at the start, leaving an odd number of bytes.
	quoted := "“Mật ong”"
	if err := k.Inject(phoneNo, short, quoted); err != nil {
		t.Fatal(err)
	}
	q = next(t, rec.mo, "get-url call")
	if bin := q.Get("bin"); decodeUCS2([]byte(bin)) != quoted {
		t.Errorf("bin %q does not decode to %q", bin, quoted)
	}
	if text := q.Get("text"); len(text)%2 == 0 {
		t.Errorf("text %q: %%a kept the UTF-16 whole; the package doc says it does not", text)
	}
}
