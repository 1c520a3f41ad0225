package telegram_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"tracegate/bots/channel/channeltest"
	"tracegate/core"
)

// A farmer who has nothing but a Telegram account and a registered phone
// number links the account, opens a lot, records a diary step with a
// photo by buttons alone and activates stamps.
func TestFarmerLinksTelegramAndWorksByButtons(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	s := w.Services
	lan, err := s.Members.FindMemberByURN(ctx, "tel:+84912345678")
	if err != nil {
		t.Fatal(err)
	}
	tu := &core.Member{FacilityID: lan.FacilityID, Name: "Anh Tư", URNs: []core.URN{"tel:+84913000555"}}
	if err := s.Members.CreateMember(ctx, tu); err != nil {
		t.Fatal(err)
	}
	const tuID, strangerID = 8880001, 8880002
	n := 0
	say := func(update string) string {
		t.Helper()
		if status := w.post(t, update, secret); status != 200 {
			t.Fatalf("update answered %d", status)
		}
		w.Settle(t)
		sent := w.api.sent()
		if len(sent) == n {
			t.Fatal("no reply")
		}
		n = len(sent)
		return sent[n-1].Get("text") + "\n" + sent[n-1].Get("reply_markup")
	}
	id := 0
	next := func() int { id++; return id }

	if got := say(textUpdate(next(), tuID, "/diary")); !strings.Contains(got, `"request_contact":true`) {
		t.Fatalf("an unknown account got %q, not a share-contact button", got)
	}
	// Someone else's contact links nothing.
	if got := say(contactUpdate(next(), strangerID, "+84913000555", tuID)); !strings.Contains(got, "không phải số điện thoại của Anh/Chị") {
		t.Fatalf("another's contact: %q", got)
	}
	if _, err := s.Members.FindMemberByURN(ctx, core.URN(fmt.Sprintf("telegram:%d", strangerID))); core.ErrorCodeOf(err) != core.ENOTFOUND {
		t.Fatal("someone else's contact linked an account")
	}
	if got := say(contactUpdate(next(), tuID, "0913 000 555", tuID)); !strings.Contains(got, "Đã liên kết tài khoản với Anh Tư") {
		t.Fatalf("own contact: %q", got)
	}

	say(textUpdate(next(), tuID, "LO MOI"))                                                   // products as buttons
	if got := say(callbackUpdate(next(), tuID, "1")); !strings.Contains(got, "Đã mở lô L2") { // MATONG
		t.Fatalf("open a lot: %q", got)
	}
	say(textUpdate(next(), tuID, "/diary"))
	say(callbackUpdate(next(), tuID, "1")) // L2, the newest
	say(callbackUpdate(next(), tuID, "3")) // feeding
	if got := say(photoUpdate(next(), tuID, "")); !strings.Contains(got, "Đã ghi nhật ký lô L2") {
		t.Fatalf("diary with a photo: %q", got)
	}
	feedWithPhoto := func(e *core.DiaryEntry) bool {
		return e.Step == core.StepFeed && slices.Equal(e.Photos, []string{"telegram:AgAD-large"}) && e.MemberID == tu.ID
	}
	if channeltest.Count(w.Entries(t, "L2"), feedWithPhoto) != 1 {
		t.Fatal("the diary step with its photo was not recorded")
	}
	say(textUpdate(next(), tuID, "/activate"))
	say(callbackUpdate(next(), tuID, "1"))
	if got := say(textUpdate(next(), tuID, "20-29")); !strings.Contains(got, "đã kích hoạt 10 tem") {
		t.Fatalf("activate: %q", got)
	}
}
