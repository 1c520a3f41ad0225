package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tracegate/bots/channel/channeltest"
	"tracegate/bots/web/browsertest"
)

// browser and shoot are the shared Chromium of the pages' tests.
var (
	browser = browsertest.New
	shoot   = browsertest.Shoot
)

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
