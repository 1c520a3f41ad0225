package telegram_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"tracegate/bots/channel/channeltest"
	"tracegate/core"
)

func TestWebhook(t *testing.T) {
	w := newWorld(t)
	consumer := core.URN(fmt.Sprintf("telegram:%d", consumerID))
	tests := []channeltest.Case{
		{Name: "text", Request: webhook(textUpdate(1, consumerID, "HD")), Status: 200,
			In: &channeltest.In{URN: consumer, Text: "HD", ProviderID: "1"}, Replies: []string{"Tra cứu"}},
		{Name: "redelivered", Request: webhook(textUpdate(1, consumerID, "HD")), Status: 200},
		{Name: "wrong secret", Request: withSecret(textUpdate(2, consumerID, "HD"), "guess"), Status: 401},
		{Name: "no secret", Request: withSecret(textUpdate(3, consumerID, "HD"), ""), Status: 401},
		{Name: "not JSON", Request: webhook(`update_id=4`), Status: 400},
		{Name: "NUL in a text", Request: webhook(withNUL(textUpdate(6, consumerID, "HD\x00"))), Status: 200,
			In: &channeltest.In{URN: consumer, Text: "HD", ProviderID: "6"}},
		{Name: "NUL in a caption", Request: webhook(withNUL(photoUpdate(7, consumerID, "HD\x00"))), Status: 200,
			In: &channeltest.In{URN: consumer, Text: "HD", ProviderID: "7", Photos: []string{"telegram:AgAD-large"}}},
		{Name: "NUL in button data", Request: webhook(withNUL(callbackUpdate(8, consumerID, "1\x00"))), Status: 200,
			In: &channeltest.In{URN: consumer, Text: "1", ProviderID: "8"}},
		{Name: "an update we do not use", Request: webhook(`{"update_id":5,"edited_message":{"message_id":9,"date":1,"chat":{"id":1,"type":"private"},"text":"x"}}`), Status: 200},
	}
	channeltest.Run(t, w.World, tests)
	w.Settle(t)
	if n := len(w.api.sent()); n != 4 {
		t.Fatalf("%d replies sent for four messages, one delivered twice", n)
	}
}

// A QR code opens the bot with /start <code>: the answer is the lookup,
// with the page as a URL button.
func TestStartWithCode(t *testing.T) {
	w := newWorld(t)
	code := string(w.Codes[0])
	w.post(t, textUpdate(1, consumerID, "/start "+code), secret)
	w.Settle(t)
	sent := w.api.sent()
	if len(sent) != 1 || sent[0].Get("chat_id") != fmt.Sprint(consumerID) || !strings.Contains(sent[0].Get("text"), "chính hãng") {
		t.Fatalf("sent %v", sent)
	}
	kb := keyboard(t, sent[0])
	if len(kb.InlineKeyboard) != 1 || kb.InlineKeyboard[0][0].URL == nil ||
		*kb.InlineKeyboard[0][0].URL != "https://truyxuat.example.vn/t/"+code {
		t.Fatalf("keyboard %+v", kb)
	}
}

// A farmer records a diary step by buttons alone, with a photo.
func TestGuidedDiaryByButtonsWithPhoto(t *testing.T) {
	w := newWorld(t)
	w.post(t, textUpdate(1, farmerID, "/diary"), secret)
	w.Settle(t)
	lots := keyboard(t, w.api.sent()[0])
	if len(lots.InlineKeyboard) != 2 || *lots.InlineKeyboard[0][0].CallbackData != "1" || *lots.InlineKeyboard[1][0].CallbackData != "0" {
		t.Fatalf("lot buttons %+v", lots.InlineKeyboard)
	}
	w.post(t, callbackUpdate(2, farmerID, "1"), secret) // L1
	w.Settle(t)
	steps := keyboard(t, w.api.sent()[1])
	if len(steps.InlineKeyboard) != 10 || steps.InlineKeyboard[5][0].Text != "Thu hoạch" {
		t.Fatalf("step buttons %+v", steps.InlineKeyboard)
	}
	w.post(t, callbackUpdate(3, farmerID, "6"), secret) // harvest
	w.post(t, photoUpdate(4, farmerID, "120 kg mật loại 1"), secret)
	w.Settle(t)
	recorded := func(e *core.DiaryEntry) bool {
		return e.Step == core.StepHarvest && channeltest.QuantityIs(e, "120", "kg") && e.Note == "mật loại 1" &&
			slices.Equal(e.Photos, []string{"telegram:AgAD-large"}) && e.Channel == "telegram"
	}
	if channeltest.Count(w.AllEntries(t), recorded) != 1 {
		t.Fatal("the entry with its photo was not recorded")
	}
	if n := len(w.api.called("answerCallbackQuery")); n != 2 {
		t.Fatalf("%d button presses answered, want 2", n)
	}
}

func TestSendErrors(t *testing.T) {
	t.Run("429 then accepted", func(t *testing.T) {
		w := newWorld(t, apiError{Code: 429, RetryAfter: 1})
		w.post(t, textUpdate(1, consumerID, "HD"), secret)
		w.Settle(t)
		if n := channeltest.ByStatus(w.Outbound(t))[core.StatusSent]; n != 1 || len(w.api.called("sendMessage")) != 2 {
			t.Fatalf("sent %d after %d tries", n, len(w.api.called("sendMessage")))
		}
	})
	t.Run("403 blocked", func(t *testing.T) {
		w := newWorld(t, apiError{Code: 403})
		w.post(t, textUpdate(1, consumerID, "HD"), secret)
		w.Settle(t)
		if !w.Stopped(t, core.URN(fmt.Sprintf("telegram:%d", consumerID))) {
			t.Fatal("a user who blocked the bot is not stopped")
		}
	})
	t.Run("400 bad message", func(t *testing.T) {
		w := newWorld(t, apiError{Code: 400})
		w.post(t, textUpdate(1, consumerID, "HD"), secret)
		w.Settle(t)
		if n := channeltest.ByStatus(w.Outbound(t))[core.StatusFailed]; n != 1 || len(w.api.called("sendMessage")) != 1 {
			t.Fatal("a 400 was retried")
		}
	})
}

// A user who blocks the bot gets no notices; unblocking resumes them.
func TestBlockAndUnblock(t *testing.T) {
	w := newWorld(t)
	urn := core.URN(fmt.Sprintf("telegram:%d", consumerID))
	stopped := func() bool { return w.Stopped(t, urn) }
	w.post(t, chatMemberUpdate(1, consumerID, "kicked"), secret)
	if !stopped() {
		t.Fatal("blocking did not stop the contact")
	}
	w.post(t, chatMemberUpdate(2, consumerID, "member"), secret)
	if stopped() {
		t.Fatal("unblocking did not resume the contact")
	}
}

func TestRegister(t *testing.T) {
	w := newWorld(t)
	if err := w.tg.Register(true); err != nil {
		t.Fatal(err)
	}
	hook := w.api.called("setWebhook")
	if len(hook) != 1 || hook[0].Get("url") != "https://gateway.example.vn/telegram/webhook" ||
		hook[0].Get("secret_token") != secret || !strings.Contains(hook[0].Get("allowed_updates"), "callback_query") {
		t.Fatalf("setWebhook %v", hook)
	}
	langs := map[string]bool{}
	for _, c := range w.api.called("setMyCommands") {
		langs[c.Get("language_code")] = strings.Contains(c.Get("commands"), `"diary"`)
	}
	if !langs["vi"] || !langs["en"] {
		t.Fatalf("commands registered for %v", langs)
	}
	// The menu is the dialog's commands, in the person's words.
	var vi []tgbotapi.BotCommand
	for _, c := range w.api.called("setMyCommands") {
		if c.Get("language_code") == "vi" {
			json.Unmarshal([]byte(c.Get("commands")), &vi)
		}
	}
	want := []string{"start", "help", "diary", "lots", "activate", "lookup", "lang"}
	if len(vi) != len(want) || vi[2].Description != "Ghi nhật ký sản xuất" {
		t.Fatalf("the Vietnamese menu is %+v, want %v", vi, want)
	}
	for i, c := range vi {
		if c.Command != want[i] || c.Description == "" || strings.HasPrefix(c.Description, "menu_") {
			t.Errorf("menu entry %d is %+v, want /%s described", i, c, want[i])
		}
	}
}

func keyboard(t *testing.T, sent map[string][]string) tgbotapi.InlineKeyboardMarkup {
	t.Helper()
	var kb tgbotapi.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(firstOf(sent["reply_markup"])), &kb); err != nil {
		t.Fatalf("reply_markup %q: %v", sent["reply_markup"], err)
	}
	return kb
}

func firstOf(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// A stored photo's URL comes from the configured endpoint, not from
// api.telegram.org.
func TestFileURL(t *testing.T) {
	w := newWorld(t)
	got, err := w.tg.FileURL("telegram:AgAD-large")
	if err != nil || got != w.api.srv.URL+"/file/bot"+token+"/photos/file_7.jpg" {
		t.Fatalf("FileURL = %q, %v", got, err)
	}
	if calls := w.api.called("getFile"); len(calls) != 1 || calls[0].Get("file_id") != "AgAD-large" {
		t.Fatalf("getFile %v", calls)
	}
	body, ct, err := w.tg.Photo(context.Background(), "telegram:AgAD-large")
	if err != nil || ct != "image/jpeg" || !strings.HasSuffix(string(body), "a jpeg") {
		t.Fatalf("Photo = %q, %q, %v", body, ct, err)
	}
	if _, _, err := w.tg.Photo(context.Background(), "https://api.twilio.com/x"); err == nil {
		t.Fatal("a non-Telegram photo was fetched")
	}
}

// A place shared while the diary asks for details goes on the entry.
func TestLocationOnTheEntry(t *testing.T) {
	w := newWorld(t)
	for i, u := range []string{textUpdate(1, farmerID, "NK L1"), callbackUpdate(2, farmerID, "5"), locationUpdate(3, farmerID, 9.1769, 105.1524)} {
		if status := w.post(t, u, secret); status != 200 {
			t.Fatalf("update %d: %d", i, status)
		}
	}
	w.Settle(t)
	atThePlace := func(e *core.DiaryEntry) bool {
		return e.Step == core.StepWater && e.Location != nil && e.Location.Lat == 9.1769 && e.Location.Lon == 105.1524
	}
	if channeltest.Count(w.AllEntries(t), atThePlace) != 1 {
		t.Fatal("the shared place is not on the entry")
	}
}

// Telegram numbers messages inside each chat, so every chat's first reply
// is message 1: six people writing twice each get their two replies once
// each, though their provider ids collide across chats.
func TestMessageIDsCollideAcrossChats(t *testing.T) {
	w := newWorld(t)
	const people = 6
	for round := range 2 {
		for i := range people {
			update := 100 + round*people + i
			if status := w.post(t, textUpdate(update, int64(consumerID+i), "HD"), secret); status != 200 {
				t.Fatalf("update %d: status %d", update, status)
			}
		}
	}
	w.Settle(t)
	perChat := map[string]int{}
	for _, sent := range w.api.sent() {
		perChat[sent.Get("chat_id")]++
	}
	for i := range people {
		if n := perChat[fmt.Sprint(consumerID+i)]; n != 2 {
			t.Errorf("chat %d got %d sendMessage calls for 2 replies", consumerID+i, n)
		}
	}
	if n := channeltest.ByStatus(w.Outbound(t))[core.StatusSent]; n != 2*people {
		t.Fatalf("%d of %d replies recorded sent", n, 2*people)
	}
}

// In a group the bot answers only what is meant for it, and answers in the
// group; someone removing it from a group has not blocked it.
func TestGroups(t *testing.T) {
	w := newWorld(t)
	group := "-1001234567890"
	tests := []struct {
		name   string
		update string
		answer bool
	}{
		{"chatter", groupUpdate(1, consumerID, "Chào cả nhà, mai họp nhé", false), false},
		{"a command for another bot", groupUpdate(2, consumerID, "/help@OtherBot", false), false},
		{"a command for us", groupUpdate(3, consumerID, "/help@TracegateBot", false), true},
		{"an answer to our message", groupUpdate(4, consumerID, "HD", true), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(w.api.sent())
			if status := w.post(t, tt.update, secret); status != 200 {
				t.Fatalf("status %d", status)
			}
			w.Settle(t)
			sent := w.api.sent()[before:]
			if !tt.answer && len(sent) != 0 {
				t.Fatalf("answered %v", sent)
			}
			if tt.answer && (len(sent) != 1 || sent[0].Get("chat_id") != group) {
				t.Fatalf("want one answer in the group, got %v", sent)
			}
		})
	}
	w.post(t, groupMemberUpdate(5, consumerID, "left"), secret)
	if w.Stopped(t, core.URN(fmt.Sprintf("telegram:%d", consumerID))) {
		t.Fatal("removing the bot from a group stopped the person who did it")
	}
}

// Someone who never opened a private chat with the bot has blocked
// nothing: the message fails, the contact stays open.
func TestCannotInitiateIsNotABlock(t *testing.T) {
	w := newWorld(t, apiError{Code: 403, Description: "Forbidden: bot can't initiate conversation with a user"})
	w.post(t, textUpdate(1, consumerID, "HD"), secret)
	w.Settle(t)
	if w.Stopped(t, core.URN(fmt.Sprintf("telegram:%d", consumerID))) {
		t.Fatal("can't initiate conversation stopped the contact")
	}
	if n := channeltest.ByStatus(w.Outbound(t))[core.StatusFailed]; n != 1 {
		t.Fatalf("%d failed messages, want 1", n)
	}
}

// What the bot cannot read gets an answer that says what it can; an image
// sent as a file counts as a photo.
func TestMediaTheBotDoesNotRead(t *testing.T) {
	w := newWorld(t)
	media := map[string]string{
		"voice":   `"voice":{"file_id":"AwAD-voice","file_unique_id":"v1","duration":3,"mime_type":"audio/ogg"}`,
		"video":   `"video":{"file_id":"BAAD-video","file_unique_id":"v2","width":640,"height":480,"duration":5}`,
		"sticker": `"sticker":{"file_id":"CAAD-sticker","file_unique_id":"s1","type":"regular","width":512,"height":512,"is_animated":false,"is_video":false}`,
		"pdf":     `"document":{"file_id":"BQAD-pdf","file_unique_id":"d1","file_name":"chung-nhan.pdf","mime_type":"application/pdf"}`,
	}
	id := 10
	for name, field := range media {
		id++
		before := len(w.api.sent())
		update := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1764330000,
			"from":{"id":%d,"is_bot":false,"first_name":"Lan"},"chat":{"id":%d,"type":"private"},%s}}`, id, id, consumerID, consumerID, field)
		if status := w.post(t, update, secret); status != 200 {
			t.Fatalf("%s: status %d", name, status)
		}
		w.Settle(t)
		sent := w.api.sent()[before:]
		if len(sent) != 1 || !strings.Contains(sent[0].Get("text"), "tệp") {
			t.Errorf("%s answered %v, want what the bot reads", name, sent)
		}
	}
	image := fmt.Sprintf(`{"update_id":30,"message":{"message_id":30,"date":1764330000,
		"from":{"id":%d,"is_bot":false,"first_name":"Tư"},"chat":{"id":%d,"type":"private"},
		"document":{"file_id":"BQAD-image","file_unique_id":"d2","file_name":"IMG_2041.jpg","mime_type":"image/jpeg"},
		"caption":"NK L1 THU 5kg"}}`, farmerID, farmerID)
	if status := w.post(t, image, secret); status != 200 {
		t.Fatalf("image document: status %d", status)
	}
	theImage := func(e *core.DiaryEntry) bool { return slices.Equal(e.Photos, []string{"telegram:BQAD-image"}) }
	if channeltest.Count(w.AllEntries(t), theImage) != 1 {
		t.Fatal("an image sent as a file is not the entry's photo")
	}
}

// An album's photos all go on the entry its caption records, whatever
// order Telegram delivers them in, even to two gateway processes at once;
// the captionless ones are not answered.
func TestAlbum(t *testing.T) {
	album := func(first int, group string) []string {
		return []string{
			albumUpdate(first, farmerID, group, group+"-1", "NK L1 THU 12kg"),
			albumUpdate(first+1, farmerID, group, group+"-2", ""),
			albumUpdate(first+2, farmerID, group, group+"-3", ""),
		}
	}
	tests := []struct {
		name   string
		order  []int // the album's updates, by index, in the order they arrive
		atOnce bool  // delivered concurrently, to two processes
	}{
		{"caption first", []int{0, 1, 2}, false},
		{"caption last", []int{2, 1, 0}, false},
		{"caption in the middle", []int{1, 0, 2}, false},
		{"all at once to two processes", []int{0, 1, 2}, true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			group := fmt.Sprintf("1386%d", i)
			updates := album(100, group)
			if tt.atOnce {
				_, other := w.process(t)
				var wg sync.WaitGroup
				for n, k := range tt.order {
					wg.Add(1)
					go func() {
						defer wg.Done()
						target := w.Gateway.URL
						if n%2 == 1 {
							target = other.Gateway.URL
						}
						if status, _, err := w.Send(target, webhook(updates[k])); err != nil || status != 200 {
							t.Errorf("update %d: status %d %v", k, status, err)
						}
					}()
				}
				wg.Wait()
			} else {
				for _, k := range tt.order {
					if status := w.post(t, updates[k], secret); status != 200 {
						t.Fatalf("update %d: status %d", k, status)
					}
				}
			}
			w.Settle(t)
			want := fmt.Sprintf("telegram:%s-1 telegram:%s-2 telegram:%s-3", group, group, group)
			entries := w.AllEntries(t)
			theAlbum := func(e *core.DiaryEntry) bool {
				return e.Step == core.StepHarvest && e.Quantity != nil && channeltest.QuantityIs(e, "12", e.Quantity.Unit) &&
					strings.Join(e.Photos, " ") == want
			}
			if channeltest.Count(entries, theAlbum) != 1 {
				t.Fatalf("the album is not on one entry as %q", want)
			}
			byTelegram := func(e *core.DiaryEntry) bool { return e.Channel == "telegram" }
			if n := channeltest.Count(entries, byTelegram); n != 1 {
				t.Fatalf("%d entries for one album", n)
			}
			for _, m := range w.api.sent() {
				if strings.Contains(m.Get("text"), "hiểu") {
					t.Errorf("a photo of the album was answered %q", m.Get("text"))
				}
			}
		})
	}
}

// An album sent with no caption waits on the diary's questions: the first
// photo asks which lot, the others join it silently.
func TestAlbumWithoutCaption(t *testing.T) {
	w := newWorld(t)
	for i := range 3 {
		w.post(t, albumUpdate(200+i, farmerID, "77", fmt.Sprintf("nc-%d", i), ""), secret)
	}
	w.Settle(t)
	if sent := w.api.sent(); len(sent) != 1 {
		t.Fatalf("%d answers to a captionless album, want the one question: %v", len(sent), sent)
	}
	w.post(t, callbackUpdate(210, farmerID, "1"), secret) // L1
	w.post(t, callbackUpdate(211, farmerID, "6"), secret) // harvest
	w.post(t, textUpdate(212, farmerID, "không"), secret)
	w.Settle(t)
	theAlbum := func(e *core.DiaryEntry) bool {
		return e.Step == core.StepHarvest && slices.Equal(e.Photos, []string{"telegram:nc-0", "telegram:nc-1", "telegram:nc-2"})
	}
	if channeltest.Count(w.AllEntries(t), theAlbum) != 1 {
		t.Fatal("the captionless album is not on the entry its questions recorded")
	}
}

// A farmer closes a lot by buttons; the lot then takes no entry, said in
// the chat.
func TestCloseLotByButtons(t *testing.T) {
	w := newWorld(t)
	before := len(w.AllEntries(t))
	for i, u := range []string{textUpdate(1, farmerID, "LO DONG"), callbackUpdate(2, farmerID, "1"),
		photoUpdate(3, farmerID, "NK L1 THU 5kg")} {
		if status := w.post(t, u, secret); status != 200 {
			t.Fatalf("update %d: %d", i, status)
		}
		w.Settle(t)
	}
	sent := w.api.sent()
	if len(sent) != 3 || keyboard(t, sent[0]).InlineKeyboard[0][0].Text != "L1 Mật ong rừng U Minh Hạ" ||
		!strings.HasPrefix(sent[1].Get("text"), "Đã đóng lô L1") || !strings.HasPrefix(sent[2].Get("text"), "Lô L1 đã đóng") {
		t.Fatalf("the conversation was %v", sent)
	}
	if lot := w.Lot(t, "L1"); lot.Status != core.LotClosed || len(w.AllEntries(t)) != before {
		t.Fatalf("lot %+v after closing, %d entries", lot, len(w.AllEntries(t)))
	}
}

// By Telegram too: a farmer records an input and a sale and recalls the
// lot; the consumer who looked a stamp up is told, and the next lookup
// says recalled first.
func TestChainAndRecallByTelegram(t *testing.T) {
	w := newWorld(t)
	code := string(w.Codes[0])
	steps := []struct {
		from  int64
		text  string
		reply string
	}{
		{consumerID, code, "Tem "},
		{farmerID, "MUA L1 đường 10 kg TỪ Đại lý Út Hiền", "Đã ghi đầu vào lô L1: đường 10 kg, từ Đại lý Út Hiền"},
		{farmerID, "BAN L1 5 chai CHO Ba Lan", "Đã ghi xuất lô L1: 5 chai cho Ba Lan"},
		{farmerID, "THUHOI L1 nhiễm khuẩn", "Đã thu hồi lô L1"},
		{consumerID, code, "THU HỒI: tem"},
	}
	for i, st := range steps {
		before := len(w.api.sent())
		if status := w.post(t, textUpdate(300+i, st.from, st.text), secret); status != 200 {
			t.Fatalf("%q: %d", st.text, status)
		}
		w.Settle(t)
		found := false
		for _, m := range w.api.sent()[before:] {
			if m.Get("chat_id") == fmt.Sprint(st.from) && strings.HasPrefix(m.Get("text"), st.reply) {
				found = true
			}
		}
		if !found {
			t.Fatalf("after %q no message to %d begins %q: %v", st.text, st.from, st.reply, w.api.sent()[before:])
		}
	}
	told := false
	for _, m := range w.api.sent() {
		told = told || m.Get("chat_id") == fmt.Sprint(consumerID) && strings.HasPrefix(m.Get("text"), "THU HỒI: Mật ong")
	}
	if !told {
		t.Fatal("the consumer who looked the stamp up was not told of the recall")
	}
}
