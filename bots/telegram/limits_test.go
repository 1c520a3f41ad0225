package telegram_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/bots/telegram"
	"tracegate/core"
)

// The fake is no kinder than Telegram: sent at once to one chat, most
// sends are refused. At once, not one after another: a loop waits out each
// answer's latency, time enough for the chat's limit to refill.
func TestFakeHoldsTelegramsLimits(t *testing.T) {
	api := newFakeBotAPI(t)
	tg, err := telegram.New(telegram.Config{Token: token, APIEndpoint: api.endpoint()})
	if err != nil {
		t.Fatal(err)
	}
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = tg.Send(context.Background(), core.URN(fmt.Sprintf("telegram:%d", consumerID)), channel.Outgoing{Text: fmt.Sprint(i)})
		})
	}
	wg.Wait()
	refused := 0
	for _, err := range errs {
		if err != nil {
			refused++
		}
	}
	if refused < 5 {
		t.Fatalf("%d of 10 sends at once to one chat refused; Telegram lets a burst of a few through", refused)
	}
	if _, err := tg.Send(context.Background(), core.URN(fmt.Sprintf("telegram:%d", farmerID)), channel.Outgoing{Text: strings.Repeat("a", 4097)}); err != nil {
		t.Fatalf("a text over 4,096 characters, split: %v", err)
	}
	if n := len(api.sent()); n != 2+10-refused {
		t.Fatalf("%d messages taken", n)
	}
}

// Notices that pile up for one chat, with a long one among them, all
// reach it in order without the gateway ever going over Telegram's limits,
// across two processes.
func TestManyNoticesToOneChat(t *testing.T) {
	w := newWorld(t)
	_, other := w.process(t)
	to := core.URN(fmt.Sprintf("telegram:%d", farmerID))
	for i := range 12 {
		text := fmt.Sprintf("thông báo %d", i)
		if i == 5 {
			text += "\n" + strings.Repeat("rất dài ", 511) // over 4,096 characters: two messages, cut at the line break
		}
		pipe := w.Pipe
		if i%2 == 1 {
			pipe = other.Pipe
		}
		n := dialog.Notice{To: to, Reply: dialog.Reply{Lang: core.LangVI, Lines: []dialog.Line{{Text: text}}}}
		if err := pipe.Notify(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	w.Settle(t)
	sent := w.api.sent()
	if len(sent) != 13 {
		t.Fatalf("%d messages reached the chat, want 13", len(sent))
	}
	for i, want := 0, 0; i < len(sent); i++ {
		if text := sent[i].Get("text"); strings.HasPrefix(text, "thông báo") {
			if text != fmt.Sprintf("thông báo %d", want) && !strings.HasPrefix(text, fmt.Sprintf("thông báo %d\n", want)) {
				t.Fatalf("message %d is %.20q, want notice %d", i, text, want)
			}
			want++
		}
	}
}
