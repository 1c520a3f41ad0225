package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tracegate/bots/channel/channeltest"
)

// browser is headless Chromium (Debian's chromium package, which .ci/run
// installs), or a skip saying it is missing.
func browser(t *testing.T) (context.Context, string) {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("no chromium on PATH: apt-get install chromium")
	}
	profile, err := os.MkdirTemp("", "tracegate-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(412, 1400),
		chromedp.UserDataDir(profile))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	// chromedp v0.11's protocol tables lag Chromium's and log events they
	// cannot decode, even after the test: those go nowhere.
	ctx, cancelCtx := chromedp.NewContext(alloc, chromedp.WithErrorf(func(string, ...any) {}))
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		chromedp.Cancel(ctx) // closes the browser and waits for it
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(profile) // best effort: Chromium may still be flushing
	})
	// Screenshots outlive the test, for a person to look at.
	shots, err := os.MkdirTemp("", "tracegate-screenshots-")
	if err != nil {
		t.Fatal(err)
	}
	return ctx, shots
}

// shoot saves a full-page screenshot and names it in the log.
func shoot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func TestInBrowser(t *testing.T) {
	ctx, shots := browser(t)
	s := newSite(t)
	genuine, unknown := string(s.Seeded.Codes[0]), "000000000"

	var product, timeline string
	err := chromedp.Run(ctx, chromedp.Navigate(s.srv.URL+"/t/"+genuine),
		chromedp.Text("h1", &product), chromedp.Text(".timeline", &timeline))
	if err != nil {
		t.Fatal(err)
	}
	if product != "Mật ong rừng U Minh Hạ" || !strings.Contains(timeline, "Thu hoạch") || !strings.Contains(timeline, "Đóng gói") {
		t.Fatalf("landing page shows %q and %q", product, timeline)
	}
	shoot(t, ctx, shots, "landing-genuine")

	var warning string
	if err := chromedp.Run(ctx, chromedp.Navigate(s.srv.URL+"/t/"+unknown), chromedp.Text(".verdict.warn", &warning)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(warning, "không có trong hệ thống") {
		t.Fatalf("counterfeit page says %q", warning)
	}
	shoot(t, ctx, shots, "landing-unknown")

	var thanks string
	err = chromedp.Run(ctx, chromedp.Navigate(s.srv.URL+"/t/"+genuine),
		chromedp.SendKeys("#text", "Mật ong rất thơm", chromedp.ByQuery),
		chromedp.Submit("#text", chromedp.ByQuery),
		chromedp.WaitNotPresent("#text", chromedp.ByQuery), // the thanks page has no form
		chromedp.Text(".verdict", &thanks))
	if err != nil {
		t.Fatal(err)
	}
	notices := channeltest.Count(s.Messages(t), isNotice)
	if !strings.Contains(thanks, "Cảm ơn") || notices != 1 {
		t.Fatalf("feedback form: %q, %d notices queued", thanks, notices)
	}
	shoot(t, ctx, shots, "feedback-sent")

	var bars int
	err = chromedp.Run(ctx, chromedp.EmulateViewport(1000, 1300), chromedp.Navigate(s.srv.URL+"/stats"),
		chromedp.Evaluate(`document.querySelectorAll("svg.chart rect").length`, &bars))
	if err != nil {
		t.Fatal(err)
	}
	if bars != 30+12 {
		t.Fatalf("the dashboard draws %d bars, want 42", bars)
	}
	shoot(t, ctx, shots, "dashboard")
}

// A lookup through the dev phone simulator, typed and sent in the browser,
// then help asked from its Zalo pane.
func TestPhoneSimulatorInBrowser(t *testing.T) {
	ctx, shots := browser(t)
	s := newSite(t)
	var chat string
	err := chromedp.Run(ctx, chromedp.Navigate(s.srv.URL+"/dev/phone?phone=0977000001"),
		chromedp.SendKeys(`form.send input[name="text"]`, string(s.Seeded.Codes[0]), chromedp.ByQuery),
		chromedp.Submit(`form.send input[name="text"]`, chromedp.ByQuery),
		chromedp.WaitVisible(".chat li.in", chromedp.ByQuery),
		chromedp.Text(".chat", &chat, chromedp.ByQuery))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(chat, "chinh hang") || !strings.Contains(chat, "SMS") {
		t.Fatalf("the simulator shows %q", chat)
	}
	shoot(t, ctx, shots, "phone-lookup")

	// The same page plays a Zalo user: its switch, then HD typed there.
	err = chromedp.Run(ctx, chromedp.Click(`.apps a[href^="/dev/phone?app=zalo"]`, chromedp.ByQuery),
		chromedp.WaitVisible("main.zalo", chromedp.ByQuery),
		chromedp.SendKeys(`form.send input[name="text"]`, "HD", chromedp.ByQuery),
		chromedp.Submit(`form.send input[name="text"]`, chromedp.ByQuery),
		chromedp.WaitVisible(".chat li.oa", chromedp.ByQuery),
		chromedp.Text(".chat", &chat, chromedp.ByQuery))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(chat, "Tra cứu") || !strings.Contains(chat, "ký tự") || strings.Contains(chat, "SMS") {
		t.Fatalf("the Zalo pane shows %q", chat)
	}
	shoot(t, ctx, shots, "zalo-help")
}
