package main

import (
	"bytes"
	"context"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// viberAdapter stands for the next channel: a package that declares itself
// and one line in adapters.
var viberAdapter = channel.Adapter{Name: "viber", Load: func(getenv func(string) string) (channel.Settings, error) {
	return viberConfig{token: getenv("VIBER_TOKEN")}, nil
}}

type viberConfig struct{ token string }

func (c viberConfig) Missing() string {
	if c.token == "" {
		return "VIBER_TOKEN is unset"
	}
	return ""
}

func (c viberConfig) Open(channel.Shared) (channel.Channel, error) { return viber{}, nil }

type viber struct{}

func (viber) Name() string                           { return "viber" }
func (viber) Render(r dialog.Reply) channel.Outgoing { return channel.Outgoing{Text: r.Text()} }
func (viber) Pace() core.Pace                        { return core.Pace{} }
func (viber) Send(context.Context, core.URN, channel.Outgoing) (string, error) {
	return "v1", nil
}
func (viber) Prefix() string       { return "/viber" }
func (viber) Reach() channel.Reach { return channel.Reach{Scheme: "viber"} }
func (viber) Handler(*channel.Pipeline, *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
}

// gatewayOn builds the gateway of env on a fresh database, without
// starting it: what is queued stays queued.
func gatewayOn(t *testing.T, env map[string]string, dev bool) (*gateway, *postgres.DB, *bytes.Buffer) {
	t.Helper()
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Dev, cfg.PublicBaseURL = dev, "http://gateway.test"
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	db, err := openDB(context.Background(), pgtest.NewURL(t), postgres.Direct, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	gw, err := newGateway(cfg, db, log)
	if err != nil {
		t.Fatal(err)
	}
	return gw, db, &logged
}

// notifiedBy queues a notice to urn and says which channels hold it.
func notifiedBy(t *testing.T, gw *gateway, db *postgres.DB, urn core.URN) []string {
	t.Helper()
	ctx := context.Background()
	n := dialog.Notice{To: urn, Reply: dialog.Reply{Lang: "vi", Lines: []dialog.Line{{Text: "Thông báo"}}}}
	if err := gw.pipeline.Notify(ctx, n); err != nil {
		t.Fatal(err)
	}
	queued, err := db.Queued(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, q := range queued {
		names = append(names, q.Channel)
	}
	return names
}

// A channel is wired from what it declares: its adapter in the list, and
// nothing else in cmd. Off, it says so once; on, its webhooks are served
// under its prefix and notices to its URNs go through it.
func TestANewChannelIsOneLine(t *testing.T) {
	saved := adapters
	adapters = append(slices.Clip(adapters), viberAdapter)
	t.Cleanup(func() { adapters = saved })

	gw, _, logged := gatewayOn(t, nil, false)
	if !bytes.Contains(logged.Bytes(), []byte("viber is off: VIBER_TOKEN is unset")) {
		t.Errorf("the log does not say viber is off:\n%s", logged)
	}
	if _, ok := gw.webhooks["/viber"]; ok {
		t.Error("viber's webhook served while it is off")
	}

	gw, db, _ := gatewayOn(t, map[string]string{"VIBER_TOKEN": "v"}, false)
	site, err := routes(config{}, db, gw, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/viber", "/viber/webhook"} {
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest("POST", path, nil))
		if rec.Code != http.StatusAccepted {
			t.Errorf("POST %s: %d, not viber's handler", path, rec.Code)
		}
	}
	if got := notifiedBy(t, gw, db, "viber:1234"); !slices.Equal(got, []string{"viber"}) {
		t.Errorf("a notice to viber:1234 is queued on %v", got)
	}
}

// A notice to a phone that never wrote goes by SMS_PROVIDER when both
// providers are on, and by the one the person last wrote through; under
// dev with none, it rings in the simulator; in serve with none, nowhere.
func TestNoticesToPhonesFollowTheChannelsReach(t *testing.T) {
	both := map[string]string{"TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000001",
		"TWILIO_AUTH_TOKEN": "0123456789abcdef0123456789abcdef", "TWILIO_FROM": "+15005550006",
		"KANNEL_SENDSMS_URL": "http://127.0.0.1:1/cgi-bin/sendsms", "KANNEL_INBOUND_SECRET": "s3cret"}
	kannelFirst := maps.Clone(both)
	kannelFirst["SMS_PROVIDER"] = "kannel"
	for _, tc := range []struct {
		env  map[string]string
		dev  bool
		want []string
	}{
		{both, true, []string{"twilio"}},
		{kannelFirst, false, []string{"kannel"}},
		{nil, true, []string{"phone"}},
		{nil, false, nil},
	} {
		gw, db, _ := gatewayOn(t, tc.env, tc.dev)
		if got := notifiedBy(t, gw, db, "tel:+84977000001"); !slices.Equal(got, tc.want) {
			t.Errorf("SMS_PROVIDER=%q, dev %v: a notice to a phone is queued on %v, want %v",
				tc.env["SMS_PROVIDER"], tc.dev, got, tc.want)
		}
	}

	gw, db, _ := gatewayOn(t, both, false)
	site, err := routes(config{}, db, gw, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	site.ServeHTTP(rec, httptest.NewRequest("GET", "/sms/kannel?secret=s3cret&sender=0977000001&text=HD&id=k1", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("Kannel webhook: %d", rec.Code)
	}
	// The help reply waits on kannel; the notice joins it there.
	if got := notifiedBy(t, gw, db, "tel:+84977000001"); !slices.Equal(got, []string{"kannel"}) {
		t.Errorf("a notice to a phone that wrote by Kannel is queued on %v", got)
	}
	var depth int64
	if err := db.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM messages WHERE direction = 'out' AND channel = 'kannel' AND kind = 'notice'`).Scan(&depth); err != nil || depth != 1 {
		t.Errorf("notices queued on kannel: %d, %v", depth, err)
	}
}

// Zalo is in the list: off, saying what is unset, until its variables
// are set; on, its webhook refuses what Zalo did not sign and notices to
// zalo URNs go through it.
func TestZaloIsRegistered(t *testing.T) {
	_, _, logged := gatewayOn(t, nil, false)
	if !bytes.Contains(logged.Bytes(), []byte("zalo is off: ZALO_APP_ID is unset")) {
		t.Errorf("the log does not say zalo is off:\n%s", logged)
	}
	env := map[string]string{"ZALO_APP_ID": "1", "ZALO_APP_SECRET": "s", "ZALO_OA_SECRET_KEY": "k",
		"ZALO_REFRESH_TOKEN": "r", "DATABASE_URL": pgtest.NewURL(t)}
	gw, db, _ := gatewayOn(t, env, false)
	site, err := routes(config{}, db, gw, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	site.ServeHTTP(rec, httptest.NewRequest("POST", "/zalo/webhook", strings.NewReader(`{"app_id":"1","event_name":"user_send_text"}`)))
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("an unsigned event: %d, want 401 from zalo's handler", rec.Code)
	}
	if got := notifiedBy(t, gw, db, "zalo:1234"); !slices.Equal(got, []string{"zalo"}) {
		t.Errorf("a notice to zalo:1234 is queued on %v", got)
	}
}

// Under dev, a notice to a Zalo user rings in the simulator's Zalo pane
// while the real channel is off, and goes through the real one once it is
// on; outside dev the simulator is never there.
func TestZaloNoticesRingInTheSimulatorUnderDev(t *testing.T) {
	zaloOn := map[string]string{"ZALO_APP_ID": "1", "ZALO_APP_SECRET": "s", "ZALO_OA_SECRET_KEY": "k",
		"ZALO_REFRESH_TOKEN": "r"}
	for _, tc := range []struct {
		env  map[string]string
		dev  bool
		want []string
	}{
		{nil, true, []string{"zalosim"}},
		{zaloOn, true, []string{"zalo"}},
		{nil, false, nil},
	} {
		gw, db, _ := gatewayOn(t, tc.env, tc.dev)
		if got := notifiedBy(t, gw, db, "zalo:8901234567890123456"); !slices.Equal(got, tc.want) {
			t.Errorf("zalo on %v, dev %v: a notice to a Zalo user is queued on %v, want %v",
				tc.env != nil, tc.dev, got, tc.want)
		}
	}
}
