package web_test

import (
	"context"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/bots/web"
	"tracegate/core"
	"tracegate/core/postgres/pgtest"
	"tracegate/locales"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// site is the web pages of a gateway over the seeded cooperative, whose
// lot has a packing entry with two photos and a void stamp, serial 10.
type site struct {
	*channeltest.World
	srv    *httptest.Server // this process's pages
	photos *photos
}

// photos is a photo source that counts its fetches.
type photos struct {
	mu      sync.Mutex
	fetches int
}

func (p *photos) Photo(_ context.Context, ref string) ([]byte, string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fetches++
	if strings.Contains(ref, "page") { // an upstream that answers with a web page
		return []byte("<html><script>alert(1)</script></html>"), "text/html", nil
	}
	return []byte("\x89PNG\r\n\x1a\n " + ref), "image/png", nil
}

// phone is an SMS channel that only records: the farmer's notices land here.
type phone struct{}

func (*phone) Name() string                           { return "sms" }
func (*phone) Render(r dialog.Reply) channel.Outgoing { return channel.Outgoing{Text: r.Text()} }
func (*phone) Pace() core.Pace                        { return core.Pace{} }
func (*phone) Send(context.Context, core.URN, channel.Outgoing) (string, error) {
	return "p1", nil
}

func newSite(t testing.TB, opts ...func(*web.Handler)) *site {
	t.Helper()
	w := channeltest.New(t, pgtest.Seed{})
	s, seeded := w.Services, w.Seeded
	ctx := context.Background()
	if err := s.Diary.RecordEntry(ctx, seeded.Farmer, &core.DiaryEntry{LotCode: seeded.Lot.Code, Step: core.StepPack,
		Quantity: &core.Quantity{Value: "370", Unit: "con"}, Note: `chai 500 ml <script>alert(1)</script>`, Channel: "telegram",
		Photos: []string{"telegram:AgAD-secret-file-id", "telegram:AgAD-second-file-id"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stamps.Void(ctx, seeded.Farmer, core.SerialRange{From: 10, To: 10}); err != nil {
		t.Fatal(err)
	}
	ph := &photos{}
	cfg := channel.Config{
		Channels: map[string]channel.Channel{"web": web.Channel{}, "sms": &phone{}, "phone": web.Phone{}, "zalosim": web.ZaloSim{}},
		Routes:   map[string]string{"tel": "sms"},
	}
	w.Start(t, cfg, func(p *channel.Pipeline) http.Handler {
		h := &web.Handler{Lookups: s.Lookups, Stats: s.Stats, Stamps: s.Stamps, Services: s, Pipeline: p, Phone: &web.Phone{}, Zalo: &web.ZaloSim{},
			Diary: s.Diary, Photos: ph,
			BaseURL: "https://truyxuat.example.vn", AdminToken: "adm", Guard: w.DB}
		return routes(t, h, opts)
	})
	return &site{World: w, srv: w.Gateway, photos: ph}
}

// routes are h's pages after opts.
func routes(t testing.TB, h *web.Handler, opts []func(*web.Handler)) http.Handler {
	t.Helper()
	for _, opt := range opts {
		opt(h)
	}
	r, err := h.Routes()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (s *site) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(s.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestProvenancePages(t *testing.T) {
	s := newSite(t)
	genuine, notActivated, void := s.Seeded.Codes[0], s.Seeded.Codes[50], s.Seeded.Codes[9]
	unknown := core.Code("000000000")
	tests := []struct {
		name   string
		path   string
		status int
		want   []string
		not    []string
	}{
		{"genuine", "/t/" + string(genuine), 200, []string{`class="verdict ok"`, "hàng chính hãng", "Mật ong rừng U Minh Hạ",
			"★★★★", "HTX Mật ong U Minh", "Nhật ký sản xuất lô L1", "Thu hoạch", "Đóng gói", "370 con",
			"chai 500 ml &lt;script&gt;alert(1)&lt;/script&gt;", "GY " + string(genuine)}, []string{"<script>", `value="` + string(genuine)}},
		{"printed form, English", "/t/" + genuine.Printed() + "?lang=en", 200, []string{"genuine product", "Production diary of lot L1", "Harvest"}, nil},
		{"not activated", "/t/" + string(notActivated), 200, []string{`class="verdict warn"`, "chưa được kích hoạt"}, []string{"Nhật ký sản xuất lô"}},
		{"void", "/t/" + string(void), 200, []string{`class="verdict warn"`, "đã bị hủy"}, nil},
		{"unknown", "/t/" + string(unknown), 404, []string{`class="verdict warn"`, "không có trong hệ thống", `name="code"`,
			`value="` + string(unknown) + `"`}, nil},
		{"mistyped", "/t/" + mistype(genuine), 404, []string{"không đúng", `name="code"`}, nil},
		{"home", "/", 200, []string{`action="/lookup"`, "Kiểm tra tem"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := s.get(t, tt.path)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			for _, not := range tt.not {
				if strings.Contains(body, not) {
					t.Errorf("page has %q", not)
				}
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
				t.Errorf("CSP %q", csp)
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("headers %v", res.Header)
			}
			if len(body) > 100<<10 {
				t.Errorf("page is %d bytes", len(body))
			}
			if regexp.MustCompile(`(src|href)="https?://`).MatchString(body) {
				t.Error("page loads something from elsewhere")
			}
		})
	}
	byWeb := func(l pgtest.Lookup) bool { return l.Channel == "web" }
	if n := channeltest.Count(s.Lookups(t), byWeb); n != 6 {
		t.Fatalf("%d web lookups recorded, want 6", n)
	}
	_, body := s.get(t, "/t/"+string(genuine))
	t.Logf("landing page for a genuine code: %d bytes", len(body))
	if dir := os.Getenv("TRACEGATE_ARTIFACTS"); dir != "" {
		os.WriteFile(dir+"/landing.html", []byte(body), 0o644)
	}
}

func TestLookupFormAndQR(t *testing.T) {
	s := newSite(t)
	res, _ := s.get(t, "/lookup?code=+4k7m-2qx9-5+&lang=en")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/t/4k7m2qx95?lang=en" {
		t.Fatalf("lookup form: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := s.get(t, "/t/"+string(s.Seeded.Codes[0])+"/qr.png")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("qr: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	img, err := png.Decode(strings.NewReader(body))
	if err != nil || img.Bounds().Dx() != 256 {
		t.Fatalf("qr png: %v %v", img, err)
	}
	if res, _ := s.get(t, "/t/not-a-code/qr.png"); res.StatusCode != 404 {
		t.Fatalf("qr of a bad code: %d", res.StatusCode)
	}
	if res, _ := s.get(t, "/static/"); res.StatusCode != 404 {
		t.Fatalf("/static/ answers %d: its folder is listed", res.StatusCode)
	}
	if res, body := s.get(t, "/static/site.css"); res.StatusCode != 200 || !strings.Contains(body, ".verdict") {
		t.Fatalf("stylesheet: %d", res.StatusCode)
	}
}

// Every message a template uses exists in both languages.
func TestTemplatesMessagesExist(t *testing.T) {
	files, _ := os.ReadDir("templates")
	used := regexp.MustCompile(`\bt \$?\.Lang "([a-z_]+)"|locales\.(?:Print|Message)\([^,]+, "([a-z_]+)"`)
	gofiles, _ := os.ReadDir(".")
	var names []string
	for _, f := range files {
		names = append(names, "templates/"+f.Name())
	}
	for _, f := range gofiles {
		if strings.HasSuffix(f.Name(), ".go") && !strings.HasSuffix(f.Name(), "_test.go") {
			names = append(names, f.Name())
		}
	}
	seen := 0
	for _, name := range names {
		raw, _ := os.ReadFile(name)
		for _, m := range used.FindAllStringSubmatch(string(raw), -1) {
			id := m[1] + m[2]
			if strings.HasSuffix(id, "_") {
				continue // a prefix completed at run time: verdict_<verdict>, the dialog's own messages
			}
			seen++
			for _, lang := range []core.Lang{core.LangVI, core.LangEN} {
				if _, err := locales.Message(lang, id, map[string]any{"Lot": "L1", "Code": "4K7M-2QX9-5", "Max": 1000, "ID": 1}); err != nil {
					t.Errorf("%s uses %q, missing in %s: %v", name, id, lang, err)
				}
			}
		}
	}
	if seen < 10 {
		t.Fatalf("found only %d messages in the templates", seen)
	}
}

func isNotice(m *core.Message) bool { return m.Kind == core.KindNotice }

func mistype(c core.Code) string {
	b := []byte(c)
	if b[8] == '7' {
		b[8] = '3'
	} else {
		b[8] = '7'
	}
	return string(b)
}

func TestDashboard(t *testing.T) {
	// The shoppers come through the deployment's proxy, on loopback here.
	s := newSite(t, func(h *web.Handler) { h.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} })
	code := string(s.Seeded.Codes[0])
	for i := range 12 { // many shoppers, one code: it gets flagged
		req, _ := http.NewRequest("GET", s.srv.URL+"/t/"+code, nil)
		req.Header.Set("X-Forwarded-For", "203.0.113."+string(rune('1'+i%5)))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	res, body := s.get(t, "/stats")
	if res.StatusCode != 200 {
		t.Fatalf("stats: %d", res.StatusCode)
	}
	for _, want := range []string{"Thống kê truy xuất nguồn gốc", "<svg class=\"chart\"", "<rect", "OCOP 4 ★: 1",
		"Mật ong rừng U Minh Hạ: 12", "<dd>100</dd>"} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(body, code) {
		t.Error("flagged codes shown without the admin token")
	}
	req, _ := http.NewRequest("GET", s.srv.URL+"/stats?lang=en", nil)
	req.Header.Set("Authorization", "Bearer adm")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(raw), "Codes that look copied") || !strings.Contains(string(raw), s.Seeded.Codes[0].Printed()) {
		t.Fatal("the admin does not see the flagged code")
	}
	t.Logf("dashboard: %d bytes", len(body))
}

// The form on a genuine code's page stores the feedback and queues the
// producer's notice; empty, long or repeated feedback is refused.
func TestFeedbackForm(t *testing.T) {
	s := newSite(t)
	code := string(s.Seeded.Codes[0])
	post := func(text string) (int, string) {
		t.Helper()
		res, err := http.PostForm(s.srv.URL+"/t/"+code+"/feedback", url.Values{"text": {text}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	farmer := core.URN("tel:+84912345678")
	if status, body := post("Mật ong thơm, <b>ngon</b>!"); status != 200 || !strings.Contains(body, "Cảm ơn Quý khách") {
		t.Fatalf("feedback: %d", status)
	}
	asSentByWeb := func(f *core.Feedback) bool { return f.Body == "Mật ong thơm, <b>ngon</b>!" && f.Channel == "web" }
	if channeltest.Count(s.Feedback(t), asSentByWeb) != 1 {
		t.Fatal("the feedback was not stored as sent")
	}
	if channeltest.Count(s.OutboundOf(t, farmer), isNotice) != 1 {
		t.Fatal("the producer's notice was not queued")
	}
	for _, tt := range []struct {
		text   string
		status int
	}{{"   ", 400}, {strings.Repeat("a", 1001), 400}, {"hai\x00", 200}, {"ba", 200}, {"bốn", 429}} {
		if status, _ := post(tt.text); status != tt.status {
			t.Errorf("feedback %.10q: %d, want %d", tt.text, status, tt.status)
		}
	}
	feedback := s.Feedback(t)
	if len(feedback) != 3 {
		t.Fatalf("%d feedback stored, want 3", len(feedback))
	}
	if channeltest.Count(feedback, func(f *core.Feedback) bool { return f.Body == "hai" }) != 1 {
		t.Fatal("the feedback with a NUL was not stored without it")
	}
	if res, _ := http.PostForm(s.srv.URL+"/t/nope/feedback", url.Values{"text": {"x"}}); res.StatusCode != 404 {
		t.Fatalf("feedback on a bad code: %d", res.StatusCode)
	}
	// The producer answers; a web page leaves no way back, and says so.
	id := feedback[0].ID
	if res, err := http.PostForm(s.srv.URL+"/dev/phone", url.Values{"phone": {"0912345678"}, "text": {fmt.Sprintf("TL %d Cảm ơn", id)}}); err != nil || res.StatusCode >= 400 {
		t.Fatalf("TL from the farmer: %v %v", res, err)
	}
	saysWebPage := func(m *core.Message) bool { return strings.Contains(m.Text, "trang web") }
	if channeltest.Count(s.OutboundOf(t, farmer), saysWebPage) != 1 {
		t.Fatal("the farmer was not told the answer cannot reach a web page")
	}
	toAWebPage := func(m *core.Message) bool {
		return strings.HasPrefix(string(m.URN), "web:") && m.Kind == core.KindNotice
	}
	if channeltest.Count(s.Outbound(t), toAWebPage) != 0 {
		t.Fatal("an answer was queued to a web page")
	}
}

func TestPrintableSheet(t *testing.T) {
	s := newSite(t)
	if res, _ := s.get(t, "/admin/batches/1/sheet"); res.StatusCode != 401 || !strings.Contains(res.Header.Get("WWW-Authenticate"), "Basic") {
		t.Fatalf("sheet without the token: %d", res.StatusCode)
	}
	req, _ := http.NewRequest("GET", s.srv.URL+"/admin/batches/1/sheet", nil)
	req.SetBasicAuth("printer", "adm")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(body)
	if res.StatusCode != 200 || strings.Count(page, `class="stamp"`) != 100 ||
		!strings.Contains(page, s.Seeded.Codes[99].Printed()) || !strings.Contains(page, "/t/"+string(s.Seeded.Codes[0])+"/qr.png") {
		t.Fatalf("sheet: %d, %d stamps", res.StatusCode, strings.Count(page, `class="stamp"`))
	}
	req, _ = http.NewRequest("GET", s.srv.URL+"/admin/batches/99/sheet", nil)
	req.Header.Set("Authorization", "Bearer adm")
	if res, _ := http.DefaultClient.Do(req); res.StatusCode != 404 {
		t.Fatalf("sheet of no batch: %d", res.StatusCode)
	}
	if res, body := s.get(t, "/static/sheet.css"); res.StatusCode != 200 || !strings.Contains(body, "@media print") {
		t.Fatal("sheet stylesheet")
	}
}

// The dev phone simulator: a consumer's lookup and a farmer's guided entry
// by its buttons, each reply shown with its size.
func TestPhoneSimulator(t *testing.T) {
	s := newSite(t)
	send := func(phone, text string) string {
		t.Helper()
		res, err := http.PostForm(s.srv.URL+"/dev/phone", url.Values{"phone": {phone}, "text": {text}})
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("%q: %v %v", text, res, err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return string(body)
	}
	page := send("0977000001", string(s.Seeded.Codes[0]))
	if !strings.Contains(page, "chinh hang") || !strings.Contains(page, "SMS · GSM-7") {
		t.Fatalf("lookup in the simulator:\n%s", page)
	}
	page = send("0912345678", "NK")
	if !strings.Contains(page, `<button name="text" value="1">L1 Mật ong rừng U Minh Hạ</button>`) ||
		!strings.Contains(page, `value="0">Hủy</button>`) {
		t.Fatalf("the lot menu has no buttons:\n%s", page)
	}
	send("0912345678", "0")
	if page = smstext.Plain(send("0912345678", "LO DONG L1")); !strings.Contains(page, "Da dong lo L1") {
		t.Fatalf("closing a lot in the simulator:\n%s", page)
	}
	if page = smstext.Plain(send("0912345678", "LO")); !strings.Contains(page, "da dong") {
		t.Fatalf("LO does not show the lot closed:\n%s", page)
	}
}

// Diary photos show through the gateway's own endpoint, cached: the page
// never names the provider's file. An entry shows every photo it has.
func TestDiaryPhotos(t *testing.T) {
	s := newSite(t)
	_, page := s.get(t, "/t/"+string(s.Seeded.Codes[0]))
	shown := regexp.MustCompile(`<img class="photo" src="(/photo/\d+/\d)"`).FindAllStringSubmatch(page, -1)
	if len(shown) != 2 || strings.Contains(page, "file-id") {
		t.Fatalf("the page shows %d photos, want 2, or names their files:\n%s", len(shown), page)
	}
	for i, m := range shown {
		for range 3 {
			res, body := s.get(t, m[1])
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(body, "\x89PNG") {
				t.Fatalf("photo %d: %d %s", i, res.StatusCode, res.Header.Get("Content-Type"))
			}
			if want := []string{"secret", "second"}[i]; !strings.Contains(body, want) {
				t.Fatalf("%s served %q, want the %s photo", m[1], body, want)
			}
		}
	}
	if s.photos.fetches != 2 {
		t.Fatalf("%d fetches for 3 views of 2 photos", s.photos.fetches)
	}
	entry := strings.TrimSuffix(shown[0][1], "/0")
	for _, path := range []string{"/photo/999999/0", "/photo/x/0", entry + "/2", entry + "/-1", entry + "/x"} {
		if res, _ := s.get(t, path); res.StatusCode != 404 {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	if res, body := s.get(t, entry); res.StatusCode != 200 || !strings.Contains(body, "secret") {
		t.Errorf("%s, the address of an entry's only photo before albums: %d", entry, res.StatusCode)
	}
	// What the upstream calls a photo is served only if it is an image.
	fake := &core.DiaryEntry{LotCode: s.Seeded.Lot.Code, Step: core.StepOther, Channel: "telegram", Photos: []string{"telegram:a-page"}}
	if err := s.Services.Diary.RecordEntry(context.Background(), s.Seeded.Farmer, fake); err != nil {
		t.Fatal(err)
	}
	if res, _ := s.get(t, fmt.Sprintf("/photo/%d/0", fake.ID)); res.StatusCode != http.StatusBadGateway || strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("a web page as a photo: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
