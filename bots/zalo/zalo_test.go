package zalo_test

import (
	"fmt"
	"strings"
	"testing"

	"tracegate/bots/channel/channeltest"
	"tracegate/core"
)

// Events as Zalo posts them, through the webhook: what is stored, what
// is refused, and what is answered.
func TestWebhook(t *testing.T) {
	w := newWorld(t)
	consumer := core.URN("zalo:" + consumerID)
	photo := w.zalo.openapi.URL + "/cdn/honey.jpg"
	hd := textEvent("a1b2c3d4e5f60718293a4b5c6d7e8f90", consumerID, "HD")
	tests := []channeltest.Case{
		{Name: "text", Request: webhook(hd), Status: 200,
			In: &channeltest.In{URN: consumer, Text: "HD", ProviderID: "a1b2c3d4e5f60718293a4b5c6d7e8f90"}, Replies: []string{"Tra cứu"}},
		{Name: "replayed msg_id", Request: webhook(hd), Status: 200},
		{Name: "image", Request: webhook(imageEvent("img-0001", consumerID, "", photo)), Status: 200,
			In: &channeltest.In{URN: consumer, Text: "", ProviderID: "img-0001", Photos: []string{"zalo:" + photo}}},
		{Name: "location", Request: webhook(locationEvent("loc-0001", consumerID, 21.0278, 105.8342)), Status: 200,
			In: &channeltest.In{URN: consumer, Text: "", ProviderID: "loc-0001"}},
		{Name: "sticker", Request: webhook(mediaEvent("user_send_sticker", "stk-0001", consumerID, "sticker")), Status: 200,
			In: &channeltest.In{URN: consumer, Text: "", ProviderID: "stk-0001"}, Replies: []string{"tệp"}},
		{Name: "file", Request: webhook(mediaEvent("user_send_file", "file-0001", consumerID, "file")), Status: 200,
			In: &channeltest.In{URN: consumer, Text: "", ProviderID: "file-0001"}, Replies: []string{"tệp"}},
		{Name: "audio", Request: webhook(mediaEvent("user_send_audio", "aud-0001", consumerID, "audio")), Status: 200,
			In: &channeltest.In{URN: consumer, Text: "", ProviderID: "aud-0001"}, Replies: []string{"tệp"}},
		{Name: "follow", Request: webhook(followEvent("follow", consumerID)), Status: 200},
		{Name: "unfollow", Request: webhook(followEvent("unfollow", consumerID)), Status: 200},
		{Name: "forged signature", Request: signedAs(textEvent("forged-1", consumerID, "HD"), "mac="+strings.Repeat("ab", 32)), Status: 401},
		{Name: "no signature", Request: signedAs(textEvent("unsigned-1", consumerID, "HD"), ""), Status: 401},
		{Name: "signed by another app", Request: signedAs(strings.Replace(textEvent("other-1", consumerID, "HD"), appID, "999", 1),
			"mac="+sign(t, strings.Replace(textEvent("other-1", consumerID, "HD"), appID, "999", 1))), Status: 401},
		{Name: "body changed after signing", Request: signedAs(textEvent("changed-1", consumerID, "HD 4K7M2QX95"),
			"mac="+sign(t, textEvent("changed-1", consumerID, "HD"))), Status: 401},
		{Name: "not JSON", Request: webhook(`event_name=user_send_text`), Status: 401},
		{Name: "signed without a msg_id", Request: webhook(textEvent("", consumerID, "HD")), Status: 400},
		{Name: "signed, with a msg_id no database keeps", Request: webhook(textEvent(strings.Repeat("9", 300), consumerID, "HD")), Status: 400},
		{Name: "over the body limit", Request: webhook(textEvent("big-1", consumerID, strings.Repeat("x", 1<<20))), Status: 413},
		{Name: "signed without a sender", Request: webhook(textEvent("nosender-1", "", "HD")), Status: 400},
		{Name: "signed, from a user id Zalo never gives", Request: webhook(textEvent("badsender-1", "12 34", "HD")), Status: 400},
		{Name: "a follow by no Zalo user", Request: webhook(followEvent("follow", "abc")), Status: 400},
		{Name: "a place under message.location", Request: webhook(fmt.Sprintf(`{"app_id":%q,"sender":{"id":%q},"recipient":{"id":%q},
			"event_name":"user_send_location","message":{"msg_id":"loc-0002","location":{"latitude":"10.762622","longitude":"106.660172"}},
			"timestamp":%q}`, appID, consumerID, oaID, ts)), Status: 200, In: &channeltest.In{URN: consumer, Text: "", ProviderID: "loc-0002"}},
		{Name: "a place off the map", Request: webhook(strings.Replace(locationEvent("loc-nan", consumerID, 1, 1), `"1"`, `"NaN"`, 1)), Status: 200,
			In: &channeltest.In{URN: consumer, Text: "", ProviderID: "loc-nan"}},
		{Name: "an event we do not use", Request: webhook(strings.Replace(textEvent("seen-1", consumerID, ""), "user_send_text", "user_seen_message", 1)), Status: 200},
	}
	channeltest.Run(t, w.World, tests)
	in := w.InboundOf(t, consumer)
	if loc := channeltest.MetaOf(t, in[2]).Location; loc == nil || loc.Lat != 21.0278 || loc.Lon != 105.8342 {
		t.Fatalf("location stored as %+v", loc)
	}
	if a := channeltest.MetaOf(t, in[3]).Attachment; a != "sticker" {
		t.Fatalf("sticker stored as attachment %q", a)
	}
	for _, m := range in {
		loc := channeltest.MetaOf(t, m).Location
		if m.ProviderID == "loc-nan" && loc != nil || m.ProviderID == "loc-0002" && (loc == nil || loc.Lat != 10.762622) {
			t.Fatalf("%s stored at %+v", m.ProviderID, loc)
		}
	}
	if !w.Stopped(t, consumer) {
		t.Fatal("unfollowing did not stop the contact")
	}
}

// Following again resumes what unfollowing stopped.
func TestFollowResumes(t *testing.T) {
	w := newWorld(t)
	consumer := core.URN("zalo:" + consumerID)
	for _, c := range []struct {
		event string
		want  bool
	}{{"unfollow", true}, {"follow", false}} {
		if status, body := w.Do(t, webhook(followEvent(c.event, consumerID))); status != 200 {
			t.Fatalf("%s: %d %s", c.event, status, body)
		}
		if w.Stopped(t, consumer) != c.want {
			t.Fatalf("after %s stopped is %v", c.event, !c.want)
		}
	}
}

// A consumer looks a code up over Zalo and is answered on Zalo, with the
// page's link in the text.
func TestLookupAnsweredOnZalo(t *testing.T) {
	w := newWorld(t)
	code := string(w.Codes[0])
	if status, body := w.Do(t, webhook(textEvent("lookup-1", consumerID, code))); status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	w.Settle(t)
	sent := w.zalo.texts()
	if len(sent) != 1 || sent[0].User != consumerID || !strings.Contains(sent[0].Text, "chính hãng") ||
		!strings.Contains(sent[0].Text, "https://truyxuat.example.vn/t/"+code) {
		t.Fatalf("sent %+v", sent)
	}
	out := w.OutboundOf(t, core.URN("zalo:"+consumerID))
	if len(out) != 1 || out[0].Status != core.StatusSent || out[0].ProviderID != sent[0].ID {
		t.Fatalf("stored %+v, want sent with Zalo's message id %s", out, sent[0].ID)
	}
}
