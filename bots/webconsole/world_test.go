package webconsole_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/dialog"
	"tracegate/bots/web"
	"tracegate/bots/webconsole"
	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Logins of the world, all with the same password.
const (
	agencyLogin   = "canbo.camau"
	producerLogin = "htx.uminh"
	otherLogin    = "ruachoi"
	password      = "mat-ong-rung-2026"
)

// world is the seeded honey cooperative and a second facility, an agency
// officer and each facility's manager, and the console on loopback.
type world struct {
	*channeltest.World
	srv         *httptest.Server
	other       *core.Facility // the second facility, with a member, a batch and a lot
	otherMember *core.Member
	otherBatch  *core.StampBatch
}

// phone is an SMS channel that only records: recall notices land here.
type phone struct{}

func (phone) Name() string                           { return "sms" }
func (phone) Render(r dialog.Reply) channel.Outgoing { return channel.Outgoing{Text: r.Text()} }
func (phone) Pace() core.Pace                        { return core.Pace{} }
func (phone) Send(context.Context, core.URN, channel.Outgoing) (string, error) {
	return "p1", nil
}

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{World: channeltest.New(t, pgtest.Seed{})}
	ctx := context.Background()
	s := w.Services
	w.other = &core.Facility{Name: "Cơ sở Rượu Chổi", Province: "Cà Mau"}
	must(t, s.Facilities.CreateFacility(ctx, w.other))
	must(t, s.Products.CreateProduct(ctx, &core.Product{FacilityID: w.other.ID, Code: "RUOU", Name: "Rượu chổi"}))
	w.otherMember = &core.Member{FacilityID: w.other.ID, Name: "Anh Sáu", URNs: []core.URN{"tel:+84987000111"}}
	must(t, s.Members.CreateMember(ctx, w.otherMember))
	var err error
	w.otherBatch, err = s.Stamps.IssueBatch(ctx, w.other.ID, 5, false)
	must(t, err)
	_, err = s.Lots.OpenLot(ctx, w.otherMember, "RUOU", "")
	must(t, err)
	for _, a := range []*core.Account{
		{Login: agencyLogin, Role: core.RoleAgency},
		{Login: producerLogin, Role: core.RoleFacility, FacilityID: w.Seeded.Facility.ID},
		{Login: otherLogin, Role: core.RoleFacility, FacilityID: w.other.ID},
	} {
		must(t, s.Accounts.CreateAccount(ctx, a, password))
	}
	p := w.Pipeline(t, channel.Config{Channels: map[string]channel.Channel{"sms": phone{}}, Routes: map[string]string{"tel": "sms"}})
	console := &webconsole.Handler{Services: s, Store: w.DB, Pipeline: p, BaseURL: channeltest.BaseURL, Log: channeltest.Discard()}
	site, err := (&web.Handler{Lookups: s.Lookups, Stats: s.Stats, Stamps: s.Stamps, Services: s, Pipeline: p,
		BaseURL: channeltest.BaseURL, Officer: console.Officer, Guard: w.DB, Log: channeltest.Discard()}).Routes()
	must(t, err)
	console.Site = site
	pages, err := console.Routes()
	must(t, err)
	mux := http.NewServeMux() // as serve mounts them: the console, and the site with its styles
	mux.Handle("/admin/", pages)
	mux.Handle("/", site)
	w.srv = httptest.NewServer(mux)
	t.Cleanup(w.srv.Close)
	return w
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// browser is one officer's browser: cookies, no redirects followed, and
// the CSRF token of the last page it read.
type browser struct {
	t    testing.TB
	w    *world
	c    *http.Client
	csrf string
}

func (w *world) browser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, w: w, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get reads a page and keeps its CSRF token.
func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	res, err := b.c.Get(b.w.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.read(res)
}

// post sends a form with the token the browser holds, unless the form
// sets its own.
func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	res, err := b.c.PostForm(b.w.srv.URL+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.read(res)
}

func (b *browser) read(res *http.Response) (int, string) {
	defer res.Body.Close()
	var body strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		body.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if m := csrfField.FindStringSubmatch(body.String()); m != nil {
		b.csrf = m[1]
	}
	if loc := res.Header.Get("Location"); loc != "" {
		return res.StatusCode, loc
	}
	return res.StatusCode, body.String()
}

// logIn logs the browser in and fails the test if it cannot.
func (b *browser) logIn(login string) *browser {
	b.t.Helper()
	b.get("/admin/login")
	if status, to := b.post("/admin/login", url.Values{"login": {login}, "password": {password}}); status != http.StatusSeeOther || to != "/admin/" {
		b.t.Fatalf("log in as %s: %d %s", login, status, to)
	}
	b.get("/admin/facilities") // a page with the session's token
	return b
}
