package webconsole_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tracegate/bots/web/browsertest"
	"tracegate/core"
)

// An agency officer, in a phone-sized Chromium: logs in, registers a
// cooperative with a product and a member, issues a batch and opens its
// sheet, answers a buyer's feedback and recalls a lot.
func TestConsoleInBrowser(t *testing.T) {
	ctx, shots := browsertest.New(t)
	w := newWorld(t)
	f := &core.Feedback{Channel: "sms", URN: "tel:+84977000001", Body: "Mật ong thơm lắm"}
	must(t, w.Services.Feedback.GiveFeedback(context.Background(), string(w.Seeded.Codes[0]), f))
	base := w.srv.URL
	// The world's base URL is https, so the session cookie is Secure; over
	// loopback http Chromium keeps it all the same (localhost is trusted).
	// submit sends a form and waits for the next page: the page before
	// is marked, since it may carry an older notice.
	submit := func(sel string) chromedp.Action {
		var ignored any
		return chromedp.Tasks{chromedp.Evaluate(`document.body.dataset.left = "1"`, &ignored),
			chromedp.Submit(sel, chromedp.ByQuery), chromedp.WaitNotPresent(`body[data-left]`, chromedp.ByQuery),
			chromedp.WaitReady("body", chromedp.ByQuery)}
	}
	// noticeSays checks the page says what was done.
	noticeSays := func(want string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var notice string
			if err := chromedp.Text(".notice", &notice, chromedp.ByQuery).Do(ctx); err != nil {
				return err
			}
			if !strings.Contains(notice, want) {
				return fmt.Errorf("the page says %q, want %q", notice, want)
			}
			return nil
		})
	}
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	run("log in", chromedp.Navigate(base+"/admin/login"),
		chromedp.SendKeys("#login", agencyLogin, chromedp.ByQuery),
		chromedp.SendKeys("#password", password, chromedp.ByQuery))
	browsertest.Shoot(t, ctx, shots, "console-login")
	run("submit", submit("#password"), chromedp.WaitVisible("form.search", chromedp.ByQuery))
	browsertest.Shoot(t, ctx, shots, "console-facilities")

	run("register a cooperative", chromedp.Click(`a[href="/admin/facilities/new"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#name", chromedp.ByQuery),
		chromedp.SendKeys("#name", "HTX Tôm khô Rạch Gốc", chromedp.ByQuery),
		chromedp.SendKeys("#address", "Ấp Rạch Gốc, Ngọc Hiển", chromedp.ByQuery),
		submit("#name"), noticeSays("Đã đăng ký cơ sở"))
	run("add a product", chromedp.Click("#products summary", chromedp.ByQuery),
		chromedp.SendKeys("#p-code", "TOMKHO", chromedp.ByQuery), chromedp.SendKeys("#p-name", "Tôm khô Rạch Gốc", chromedp.ByQuery),
		chromedp.SetValue("#p-stars", "4", chromedp.ByQuery), chromedp.SendKeys("#p-certs", "VietGAP", chromedp.ByQuery),
		submit("#p-code"), noticeSays("Đã thêm sản phẩm"))
	run("add a member", chromedp.Click("#members summary", chromedp.ByQuery),
		chromedp.SendKeys("#m-name", "Chị Hạnh", chromedp.ByQuery), chromedp.SendKeys("#m-phone", "0913 222 333", chromedp.ByQuery),
		submit("#m-name"), noticeSays("Đã thêm thành viên"))
	var sheetImages int
	run("issue a batch and open its sheet", chromedp.SetValue("#b-count", "40", chromedp.ByQuery),
		submit("#b-count"), noticeSays("Đã cấp lô tem"))
	browsertest.Shoot(t, ctx, shots, "console-facility")
	run("sheet", chromedp.Click(`#batches a[href$="/sheet"]`, chromedp.ByQuery), chromedp.WaitVisible("img", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("img").length`, &sheetImages))
	if sheetImages != 40 {
		t.Fatalf("the sheet shows %d QR codes, want 40", sheetImages)
	}
	browsertest.Shoot(t, ctx, shots, "console-sheet")

	honey := fmt.Sprintf("%s/admin/facilities/%d", base, w.Seeded.Facility.ID)
	run("answer a feedback", chromedp.Navigate(honey),
		chromedp.SendKeys(fmt.Sprintf("#answer-%d", f.ID), "Cảm ơn anh đã ủng hộ", chromedp.ByQuery),
		submit(fmt.Sprintf("#answer-%d", f.ID)), noticeSays("Đã gửi trả lời"))
	var status string
	run("recall a lot", chromedp.Navigate(honey+"/lots/"+w.Seeded.Lot.Code),
		chromedp.SendKeys("#reason", "nhiễm khuẩn", chromedp.ByQuery))
	browsertest.Shoot(t, ctx, shots, "console-lot")
	run("recall", submit("#reason"), noticeSays("Đã thu hồi lô"),
		chromedp.Text("main", &status))
	if !strings.Contains(status, "Đã thu hồi") || !strings.Contains(status, "nhiễm khuẩn") {
		t.Fatalf("after the recall the lot page says %q", status)
	}
	var audit string
	run("audit", chromedp.Navigate(base+"/admin/audit"), chromedp.Text("table.audit", &audit))
	for _, action := range []string{"facility.create", "product.create", "member.create", "batch.issue", "feedback.answer", "lot.recall"} {
		if !strings.Contains(audit, action) {
			t.Fatalf("the audit log lacks %s", action)
		}
	}
	browsertest.Shoot(t, ctx, shots, "console-audit")
}
