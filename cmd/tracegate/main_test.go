package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" { // a gateway process of the soak
		if err := run(context.Background(), strings.Fields(args), os.Getenv, nil, os.Stdout, slog.Default()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	pgtest.Main(m)
}

// childEnv makes the test binary run the command it holds, as tracegate
// would: the soak's gateway processes.
const childEnv = "TRACEGATE_TEST_RUN"

// spawnTestBinary is soakPlan.Spawn for tests.
func spawnTestBinary(env []string) *exec.Cmd {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(append(os.Environ(), env...), childEnv+"=serve")
	return cmd
}

// output is a writer tests can read while run writes to it.
type output struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

var healthURL = regexp.MustCompile(`Health +(http://\S+)/healthz`)

// start runs dev in the background and returns the base URL its banner
// shows, its output, and a stop function that returns run's error.
func start(t *testing.T, env map[string]string, args ...string) (string, *output, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &output{}
	done := make(chan error, 1)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, nil, out, log) }()
	stop := func() error { cancel(); return <-done }
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if m := healthURL.FindStringSubmatch(out.String()); m != nil {
			return m[1], out, stop
		}
		select {
		case err := <-done:
			t.Fatalf("%v ended before serving: %v\n%s", args, err, out)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("%v did not serve:\n%s", args, out)
	return "", nil, nil
}

// freeAddr returns a loopback address nothing listens on right now.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serveInBackground runs serve with env until the test ends, when it must
// stop cleanly, and returns its base URL once it is ready.
func serveInBackground(t *testing.T, env map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, nil, io.Discard, slog.Default())
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve ended with %v", err)
		}
	})
	base := "http://" + env["HTTP_ADDR"]
	waitReady(t, base, done)
	return base
}

// waitReady waits until base answers /readyz, or fails when the command
// serving it ends first.
func waitReady(t *testing.T, base string, done chan error) {
	for range 600 {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("ended before serving %s: %v", base, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("%s never became ready", base)
}

func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// devDir is a directory the postgres OS user can reach when the tests run
// as root: t.TempDir() is closed to others, and dev would move the cluster
// out of it, to a directory nothing removes.
func devDir(t *testing.T) string {
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDevServesTheDemoOnAPrivatePostgres(t *testing.T) {
	dir := devDir(t)
	env := map[string]string{"HTTP_ADDR": "127.0.0.1:0"}
	for round := range 2 { // the second start reuses the cluster and the demo
		base, out, stop := start(t, env, "dev", "--dir", dir)
		if status, body := get(t, base+"/healthz", ""); status != 200 || body != "ok\n" {
			t.Fatalf("healthz: %d %q", status, body)
		}
		if status, _ := get(t, base+"/readyz", ""); status != 200 {
			t.Fatalf("readyz: %d", status)
		}
		status, body := get(t, base+"/admin/api/stats", "dev")
		var stats core.Stats
		if err := json.Unmarshal([]byte(body), &stats); err != nil || status != 200 {
			t.Fatalf("stats: %d %s", status, body)
		}
		if stats.Facilities != 5 || stats.Lots != 4 || stats.StampsIssued != 1500+demoPINs || stats.StampsActivated == 0 || stats.DiaryEntries != 11 {
			t.Fatalf("round %d: demo stats %+v", round, stats)
		}
		// Every admin call is wired: the lots of the first demo facility.
		if status, body := get(t, base+"/admin/api/lots?facility_id=1", "dev"); status != 200 || !strings.Contains(body, `"status":"open"`) {
			t.Fatalf("lots: %d %s", status, body)
		}
		if status, body := get(t, base+"/", ""); status != 200 || !strings.Contains(body, `action="/lookup"`) {
			t.Fatalf("home page: %d", status)
		}
		if status, body := get(t, base+"/dev/phone", ""); status != 200 || !strings.Contains(body, `form class="send"`) {
			t.Fatalf("phone simulator: %d", status)
		}
		if status, body := get(t, base+"/dev/phone?app=zalo", ""); status != 200 || !strings.Contains(body, `class="phone zalo"`) {
			t.Fatalf("the simulator's Zalo pane: %d", status)
		}
		for _, want := range []string{"0912 345 678", "/dev/phone?app=zalo", "genuine ", "not activated ", "void ", "mistyped ", "chain ", "recalled ",
			base + "/admin/   agency: " + demoAgencyLogin + " / " + demoAgencyPassword + ", producer: " + demoProducerLogin + " / " + demoProducerPassword} {
			if !strings.Contains(out.String(), want) {
				t.Fatalf("banner lacks %q:\n%s", want, out)
			}
		}
		if err := stop(); err != nil {
			t.Fatalf("round %d: dev ended with %v", round, err)
		}
	}
}

func TestDevCodesAnswerAsTheBannerSays(t *testing.T) {
	base, out, stop := start(t, map[string]string{"HTTP_ADDR": "127.0.0.1:0"}, "dev", "--dir", devDir(t))
	defer stop()
	codes := regexp.MustCompile(`genuine (\S+) +not activated (\S+) +void (\S+) +mistyped (\S+)`).FindStringSubmatch(out.String())
	if codes == nil {
		t.Fatalf("no codes in banner:\n%s", out)
	}
	for i, want := range codes[1:4] {
		if _, err := core.ParseCode(want); err != nil {
			t.Errorf("banner code %d %q does not parse: %v", i, want, err)
		}
	}
	if _, err := core.ParseCode(codes[4]); err != core.ErrCodeMistyped {
		t.Errorf("the mistyped example %q parses as %v", codes[4], err)
	}
	// The processor's stamp and the recalled lot's, looked up on their pages.
	more := regexp.MustCompile(`chain (\S+) .* recalled (\S+)`).FindStringSubmatch(out.String())
	if more == nil {
		t.Fatalf("no chain and recalled codes in banner:\n%s", out)
	}
	if status, body := get(t, base+"/t/"+more[1], ""); status != 200 || !strings.Contains(body, "hàng chính hãng") ||
		!strings.Contains(body, demoProcessor) {
		t.Errorf("the chain code %s: %d, genuine and naming %s?\n%s", more[1], status, demoProcessor, body)
	}
	if status, body := get(t, base+"/t/"+more[2], ""); status != 200 || !strings.Contains(body, "THU HỒI") ||
		!strings.Contains(body, demoRecallReason) {
		t.Errorf("the recalled code %s: %d, recalled and why?\n%s", more[2], status, body)
	}
	// The PIN the banner shows answers its first use on the page, then, to
	// the same visitor, that it was their own use.
	pin := regexp.MustCompile(`PIN +(\S+) (\d{6})`).FindStringSubmatch(out.String())
	if pin == nil {
		t.Fatalf("no PIN stamp in banner:\n%s", out)
	}
	for _, want := range []string{"Mã PIN đúng", "Quý khách đã dùng mã PIN này"} {
		if status, body := get(t, base+"/t/"+pin[1]+"?pin="+pin[2], ""); status != 200 || !strings.Contains(body, want) {
			t.Errorf("the banner's PIN %s %s: %d, want %q", pin[1], pin[2], status, want)
		}
	}
	// The console logins the banner shows log in, as what it says.
	logins := regexp.MustCompile(`Console +\S+/admin/ +agency: (\S+) / (\S+), producer: (\S+) / (\S+)\n`).FindStringSubmatch(out.String())
	dbURL := regexp.MustCompile(`Database +(\S+)`).FindStringSubmatch(out.String())
	if logins == nil || dbURL == nil {
		t.Fatalf("no console logins or database in banner:\n%s", out)
	}
	db, err := postgres.Open(context.Background(), dbURL[1])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := postgres.NewServices(db)
	facilities, err := s.Facilities.FindFacilities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		login, password string
		role            core.Role
		facility        string
	}{
		{logins[1], logins[2], core.RoleAgency, ""},
		{logins[3], logins[4], core.RoleFacility, demoHoneyFacility},
	} {
		session, err := s.Accounts.LogIn(context.Background(), tc.login, tc.password, "127.0.0.1")
		if err != nil {
			t.Fatalf("log in as %s: %v", tc.login, err)
		}
		facility := ""
		for _, f := range facilities {
			if f.ID == session.Account.FacilityID {
				facility = f.Name
			}
		}
		if session.Account.Role != tc.role || facility != tc.facility {
			t.Errorf("%s is %s of %q, want %s of %q", tc.login, session.Account.Role, facility, tc.role, tc.facility)
		}
	}
}

func TestServeAndMigrate(t *testing.T) {
	env := map[string]string{"DATABASE_URL": pgtest.NewURL(t), "HTTP_ADDR": "127.0.0.1:0", "ADMIN_TOKEN": "t0ken"}
	out := &output{}
	if err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, nil, out, slog.Default()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "applied 0 migrations") { // pgtest's database is migrated already
		t.Fatalf("migrate said %q", out)
	}
	env["HTTP_ADDR"] = freeAddr(t)
	base := serveInBackground(t, env)
	if status, _ := get(t, base+"/admin/api/stats", ""); status != 401 {
		t.Fatalf("stats without token: %d", status)
	}
	if status, _ := get(t, base+"/admin/api/stats", "t0ken"); status != 200 {
		t.Fatalf("stats with token: %d", status)
	}
	if status, body := get(t, base+"/metrics", ""); status != 200 || !strings.Contains(body, "tracegate_http_requests_total") ||
		!strings.Contains(body, `tracegate_send_queue_oldest_seconds{channel="web"}`) {
		t.Fatalf("metrics: %d, without the oldest queued age per channel", status)
	}
	// No provider credentials: no SMS webhooks; no simulator outside dev.
	for _, path := range []string{"/sms/twilio", "/sms/kannel", "/dev/phone"} {
		if status, _ := get(t, base+path, ""); status != 404 {
			t.Errorf("%s without credentials: %d", path, status)
		}
	}
}

// With credentials, each provider's webhooks are served and guarded.
func TestServeTurnsOnSMSProviders(t *testing.T) {
	env := map[string]string{"DATABASE_URL": pgtest.NewURL(t), "HTTP_ADDR": freeAddr(t), "ADMIN_TOKEN": "t",
		"TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000001", "TWILIO_AUTH_TOKEN": "0123456789abcdef0123456789abcdef",
		"TWILIO_FROM": "+15005550006", "KANNEL_SENDSMS_URL": "http://127.0.0.1:1/cgi-bin/sendsms",
		"KANNEL_INBOUND_SECRET": "s3cret", "SMS_PROVIDER": "kannel"}
	base := serveInBackground(t, env)
	res, err := http.PostForm(base+"/sms/twilio", map[string][]string{"MessageSid": {"SM1"}, "From": {"+84977000001"}, "Body": {"HD"}})
	if err != nil || res.StatusCode != 403 {
		t.Fatalf("unsigned Twilio webhook: %v %v", res, err)
	}
	if status, _ := get(t, base+"/sms/kannel?secret=wrong&sender=0977000001&text=HD&id=1", ""); status != 403 {
		t.Fatalf("Kannel webhook with a wrong secret: %d", status)
	}
	if status, _ := get(t, base+"/sms/kannel?secret=s3cret&sender=0977000001&text=HD&id=1", ""); status != 200 {
		t.Fatalf("Kannel webhook: %d", status)
	}
}

func TestCommandLineAndConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, nil, "usage"},
		{[]string{"frobnicate"}, nil, "unknown command"},
		{[]string{"serve"}, nil, "DATABASE_URL is not set"},
		{[]string{"migrate"}, nil, "DATABASE_URL is not set"},
		{[]string{"user"}, nil, "usage"},
		{[]string{"user", "rename"}, nil, "unknown user command"},
		{[]string{"user", "add", "--login", "lan"}, nil, "needs --login and --role"},
		{[]string{"user", "add", "--role", "agency", "--login", "Lan"}, nil, "lower-case"},
		{[]string{"user", "add", "--role", "agency", "--login", "lan"}, nil, "DATABASE_URL is not set"},
		{[]string{"user", "passwd"}, nil, "needs --login"},
		{[]string{"user", "disable", "--login", "lan", "extra"}, nil, "usage"},
		{[]string{"user", "list"}, nil, "DATABASE_URL is not set"},
		{[]string{"serve"}, map[string]string{"PUBLIC_BASE_URL": "ftp://x"}, "PUBLIC_BASE_URL"},
		{[]string{"serve"}, map[string]string{"DEFAULT_LANG": "fr"}, "DEFAULT_LANG"},
		{[]string{"serve"}, map[string]string{"SMS_ACCENTS": "some"}, "SMS_ACCENTS"},
		{[]string{"serve"}, map[string]string{"SEND_RATES": "telegram=fast"}, "SEND_RATES"},
		{[]string{"serve"}, map[string]string{"SEND_WORKERS": "twilio=0"}, "SEND_WORKERS"},
		{[]string{"serve"}, map[string]string{"SMS_PROVIDER": "nexmo"}, "SMS_PROVIDER"},
		{[]string{"serve"}, map[string]string{"FLOOD_LIMIT": "lots"}, "FLOOD_LIMIT"},
		{[]string{"serve"}, map[string]string{"WEB_LOOKUP_LIMIT": "0"}, "WEB_LOOKUP_LIMIT"},
		{[]string{"serve"}, map[string]string{"AGENCY_URNS": "tel:+84911000000, not a phone"}, "AGENCY_URNS"},
		{[]string{"serve"}, map[string]string{"WEB_LOOKUP_LIMIT": "many"}, "WEB_LOOKUP_LIMIT"},
		{[]string{"serve"}, map[string]string{"EPCIS_CAPTURE_URL": "repo.example/epcis/capture"}, "EPCIS_CAPTURE_URL"},
	} {
		err := run(context.Background(), tc.args, func(k string) string { return tc.env[k] }, nil, io.Discard, slog.Default())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v: %v, want %q", tc.args, tc.env, err, tc.want)
		}
	}
}

func TestChatOnTheDemoData(t *testing.T) {
	env := map[string]string{"DATABASE_URL": pgtest.NewURL(t)}
	out := &output{}
	in := strings.NewReader("LO\nNK L1 BON NPK 20kg\nKH L1 600-610\n")
	err := run(context.Background(), []string{"chat", "--as", "0912 345 678"}, func(k string) string { return env[k] }, in, out, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"L1 Mật ong rừng U Minh Hạ", "Bon phan/cho an 20 kg (NPK)", "Lô L1: đã kích hoạt 11 tem.", "SMS, "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("chat output lacks %q:\n%s", want, out)
		}
	}
	err = run(context.Background(), []string{"chat"}, func(k string) string { return env[k] }, in, out, slog.Default())
	if !errors.Is(err, errUsage) {
		t.Errorf("chat without --as: %v", err)
	}
}

// With a bot token, Telegram is on: in webhook mode the webhook is
// registered at start and guarded by its secret.
func TestServeTurnsOnTelegram(t *testing.T) {
	var mu sync.Mutex
	var methods []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		methods = append(methods, path.Base(r.URL.Path))
		mu.Unlock()
		if path.Base(r.URL.Path) == "getMe" {
			fmt.Fprint(w, `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"T","username":"TBot"}}`)
			return
		}
		fmt.Fprint(w, `{"ok":true,"result":true}`)
	}))
	t.Cleanup(api.Close) // after serve stops: cleanups run last first
	env := map[string]string{"DATABASE_URL": pgtest.NewURL(t), "HTTP_ADDR": freeAddr(t),
		"PUBLIC_BASE_URL": "https://gateway.example.vn", "TELEGRAM_BOT_TOKEN": "1:T",
		"TELEGRAM_WEBHOOK_SECRET": "s3cret", "TELEGRAM_API_ENDPOINT": api.URL + "/bot%s/%s"}
	base := serveInBackground(t, env)
	update := `{"update_id":1,"message":{"message_id":1,"date":1,"from":{"id":42,"is_bot":false,"first_name":"A"},"chat":{"id":42,"type":"private"},"text":"HD"}}`
	for secret, want := range map[string]int{"": 401, "wrong": 401, "s3cret": 200} {
		req, _ := http.NewRequest("POST", base+"/telegram/webhook", strings.NewReader(update))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != want {
			t.Fatalf("secret %q: %v %v, want %d", secret, res, err, want)
		}
		res.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(strings.Join(methods, ","), "setWebhook") || !strings.Contains(strings.Join(methods, ","), "setMyCommands") {
		t.Fatalf("Bot API calls at start: %v", methods)
	}
}
