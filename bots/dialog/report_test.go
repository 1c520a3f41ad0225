package dialog_test

import (
	"context"
	"strings"
	"testing"

	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
	"tracegate/core/postgres"
)

// A report's reply and notices fit in three SMS with accents and
// without, however long the facility's name and the place; the notice
// keeps who reported (masked) and cuts only the place's tail.
func TestReportFitsThreeSMS(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	s := postgres.NewServices(w.db)
	long := &core.Facility{Name: "Hợp tác xã " + strings.Repeat("Mật ong rừng tràm U Minh Hạ ", 7), Province: "Cà Mau"}
	long.Name = string([]rune(long.Name)[:200])
	if err := s.Facilities.CreateFacility(ctx, long); err != nil {
		t.Fatal(err)
	}
	if err := s.Members.CreateMember(ctx, &core.Member{FacilityID: long.ID, Name: "Chị Hoa", URNs: []core.URN{"tel:+84918000222"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stamps.IssueBatch(ctx, long.ID, 1, false); err != nil {
		t.Fatal(err)
	}
	stamps, err := s.Stamps.FindStamps(ctx, long.ID, core.SerialRange{From: 1, To: 1})
	if err != nil {
		t.Fatal(err)
	}
	place := "tiệm tạp hóa Bà Tư, đầu hẻm 3, gần chợ Phường 8, " + strings.Repeat("đối diện trường tiểu học, ", 20)
	place = string([]rune(place)[:500])
	for _, tt := range []struct {
		name, code, place string
		from              core.URN
	}{
		{"short", w.codes["genuine"], "chợ Phường 8", consumerTel},
		{"a long name and place", string(stamps[0].Code), place, consumerTel},
		{"by English speaker", w.codes["genuine"], place, "tel:+84977000002"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := handle(t, w.dialog, tt.from, "BAO "+tt.code+" "+tt.place)
			if len(res.Replies) != 1 || len(res.Notices) < 2 {
				t.Fatalf("%d replies, %d notices", len(res.Replies), len(res.Notices))
			}
			all := append([]dialog.Reply{res.Replies[0]}, noticeReplies(res)...)
			for i, r := range all {
				for _, policy := range []smstext.Policy{smstext.Keep, smstext.Strip, smstext.Auto} {
					fitted := dialog.RenderSMS(r, policy, dialog.SMSBudget)
					if fitted.Segments.Parts > dialog.SMSBudget {
						t.Errorf("message %d in %v: %d parts", i, policy, fitted.Segments.Parts)
					}
					if i > 0 && !strings.Contains(smstext.Plain(fitted.Text), "97x xxx 00") {
						t.Errorf("notice %d in %v lost its reporter: %q", i, policy, fitted.Text)
					}
				}
			}
		})
	}
}

// Notices name the reporter only masked, whatever the channel, and go
// once to each person: a member reporting their own stamp is not told.
func TestReportNotices(t *testing.T) {
	w := newWorld(t)
	code := w.codes["genuine"]
	for _, tt := range []struct {
		name    string
		msg     dialog.Message
		from    string // the reporter as the notices name them
		notices int
	}{
		{"by SMS", dialog.Message{Channel: "sms", URN: consumerTel, Text: "BAO " + code + " chợ Phường 8"}, "+84 97x xxx 001", 3},
		{"by Zalo", dialog.Message{Channel: "zalo", URN: "zalo:8901234567890123", Text: "BAO " + code + " Sông Đốc"}, "Zalo …123", 3},
		{"by the web page", dialog.Message{Channel: "web", URN: "web:1a2b3c4d5e6f7a8b", Text: "BAO " + code + " Năm Căn"}, "khách trên trang web", 3},
		{"by a member", dialog.Message{Channel: "sms", URN: "tel:+84912345678", Text: "BAO " + code + " chợ Tắc Vân"}, "+84 91x xxx 678", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := w.dialog.Handle(context.Background(), tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Notices) != tt.notices {
				t.Fatalf("%d notices, want %d", len(res.Notices), tt.notices)
			}
			seen := map[core.URN]bool{}
			for _, n := range res.Notices {
				text := n.Reply.Text()
				if n.To == tt.msg.URN || seen[n.To] {
					t.Errorf("told %s twice or the reporter", n.To)
				}
				seen[n.To] = true
				from := tt.from
				if n.Reply.Lang == core.LangEN && strings.HasPrefix(from, "khách") {
					from = "a visitor of the web page"
				}
				if !strings.Contains(text, from) || strings.Contains(text, strings.TrimPrefix(string(tt.msg.URN), "tel:+84")) {
					t.Errorf("notice to %s: %q, want the reporter as %q and never their number", n.To, text, from)
				}
				if !strings.Contains(text, core.Code(code).Printed()) {
					t.Errorf("notice to %s does not name the code: %q", n.To, text)
				}
			}
			if !seen[agencyTel] {
				t.Error("the agency was not told")
			}
		})
	}
}
