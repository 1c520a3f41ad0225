package dialog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

// Accents, case and spacing never change what a command does.
func TestAccentsDoNotMatter(t *testing.T) {
	accented := "@as " + farmerPhone + "\n" + strings.Join([]string{
		"> nhật ký L1 bón 20 kg", "> nhật ký", "> 1", "> đóng gói", "> K", "> xóa",
		"> kích hoạt L1 60-65", "> hủy 61", "> lô", "> lô mới mật ong", "> trả lời 1 cảm ơn",
		"@as 0977000003", "> tra cứu {{genuine}}", "> góp ý {{genuine}} ngon", "> hướng dẫn", "> từ chối",
	}, "\n") + "\n"
	plain := "@as " + farmerPhone + "\n" + strings.Join([]string{
		"> NHAT KY L1 BON 20 KG", ">   nk  ", "> 1", "> DONG GOI", "> k", "> XOA",
		"> KICH HOAT l1 60 - 65", "> HUY 61", "> LO", "> LO MOI MATONG", "> TRA LOI 1 cảm ơn",
		"@as 0977000003", "> TRA CUU {{genuine}}", "> GOP Y {{genuine}} ngon", "> HUONG DAN", "> TUCHOI",
	}, "\n") + "\n"
	a, b := answersOnly(play(t, newWorld(t), accented)), answersOnly(play(t, newWorld(t), plain))
	if a != b {
		t.Fatalf("accented and plain commands answered differently:\n%s", diff(a, b))
	}
}

// answersOnly drops the input lines of a transcript.
func answersOnly(transcript string) string {
	var keep []string
	for _, l := range strings.Split(transcript, "\n") {
		if !strings.HasPrefix(l, "> ") && !strings.HasPrefix(l, "@") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func handle(t *testing.T, d *dialog.Dialog, urn core.URN, text string) *dialog.Result {
	t.Helper()
	res, err := d.Handle(context.Background(), dialog.Message{Channel: "sms", URN: urn, Text: text})
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	return res
}

func firstLine(res *dialog.Result) string {
	if len(res.Replies) == 0 || len(res.Replies[0].Lines) == 0 {
		return ""
	}
	return res.Replies[0].Lines[0].Text
}

// A question asked by one gateway process is answered through another,
// and forgotten after ten minutes.
func TestPendingQuestionLivesInPostgres(t *testing.T) {
	w := newWorld(t)
	farmer := core.URN("tel:+84912345678")
	other := *w.dialog // a second process: same database, nothing shared in memory
	handle(t, w.dialog, farmer, "NK")
	res := handle(t, &other, farmer, "1")
	if !strings.Contains(firstLine(res), "L1") || len(res.Replies[0].Menu) != 10 {
		t.Fatalf("the answer did not reach the question: %+v", res.Replies)
	}
	pgtest.ExpirePending(t, w.db.Pool, farmer)
	res = handle(t, w.dialog, farmer, "6")
	if !strings.HasPrefix(firstLine(res), "Chưa hiểu tin nhắn") {
		t.Fatalf("an expired question still took an answer: %q", firstLine(res))
	}
}

func TestPendingExpiresAfterTenMinutes(t *testing.T) {
	w := newWorld(t)
	now := time.Now()
	w.dialog.Now = func() time.Time { return now }
	farmer := core.URN("tel:+84912345678")
	handle(t, w.dialog, farmer, "KH")
	if d := pgtest.PendingUntil(t, w.db.Pool, farmer).Sub(now); d.Round(time.Millisecond) != 10*time.Minute {
		t.Fatalf("question kept for %s", d)
	}
}

// Bad input is answered and changes nothing.
func TestBadInputChangesNothing(t *testing.T) {
	w := newWorld(t)
	state := func() string {
		return pgtest.Digest(t, w.db.Pool, "diary_entries", "stamps", "lots", "feedback", "fake_reports")
	}
	before := state()
	for _, m := range []struct {
		from core.URN
		text string
	}{
		{"tel:+84977000009", "NK L1 BON 20kg"},
		{"tel:+84977000009", "KH L1 1-100"},
		{"tel:+84987654321", "KH L1 1-100"},
		{"tel:+84987654321", "NK L1 BON 1kg"},
		{"tel:+84912345678", "NK L1 THU -5kg"},
		{"tel:+84912345678", "NK L1 THU 1,2345 kg"},
		{"tel:+84912345678", "KH L1 100-1"},
		{"tel:+84912345678", "KH L1 1-99999999"},
		{"tel:+84912345678", "LO MOI KHONGCO"},
		{"tel:+84912345678", "LO DONG L99"},
		{"tel:+84987654321", "LO DONG L1"},
		{"tel:+84977000009", "LO DONG L1"},
		{"tel:+84912345678", "TL 999 hello"},
		{"tel:+84977000009", "GY 123456789 fake"},
		{"tel:+84977000009", "GY " + w.codes["mistyped"] + " text"},
		{"tel:+84977000009", "GY " + w.codes["genuine"] + " " + strings.Repeat("x", 1700)},
		{"tel:+84977000009", "BAO " + w.codes["mistyped"] + " chợ Phường 8"},
		{"tel:+84977000009", "BAO " + w.codes["genuine"] + " " + strings.Repeat("chợ ", 200)},
		{"tel:+84977000009", strings.Repeat("ă", 5000)},
	} {
		res := handle(t, w.dialog, m.from, m.text)
		if len(res.Replies) == 0 || firstLine(res) == "" || len(res.Notices) != 0 {
			t.Errorf("%q from %s: %+v", m.text, m.from, res)
		}
		for _, r := range res.Replies {
			if fitted := dialog.RenderSMS(r, smstext.Auto, dialog.SMSBudget); fitted.Segments.Parts > dialog.SMSBudget {
				t.Errorf("%q: reply of %d parts", m.text, fitted.Segments.Parts)
			}
		}
	}
	if state() != before {
		t.Fatal("bad input changed the diary, stamps, lots, feedback or reports")
	}
}
