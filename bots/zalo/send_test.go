package zalo_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/core"
)

// Zalo's errors, read as the pipeline needs them, on a channel that
// sends directly.
func TestSendErrors(t *testing.T) {
	w := newWorld(t)
	z := w.channel()
	ctx := context.Background()
	send := func(to string) error {
		_, err := z.Send(ctx, core.URN("zalo:"+to), channel.Outgoing{Text: "Xin chào"})
		return err
	}
	kind := func(err error) (channel.ErrorKind, time.Duration) {
		var se *channel.SendError
		if !errors.As(err, &se) {
			t.Fatalf("%v is not a SendError", err)
		}
		return se.Kind, se.Wait
	}
	if err := send("1112223334445556667"); err == nil || !strings.Contains(err.Error(), "interaction window") {
		t.Fatalf("a user who never wrote: %v, want the closed window named", err)
	} else if k, _ := kind(err); k != channel.Unreachable {
		t.Fatalf("a closed window is %v, want unreachable", k)
	}
	w.zalo.mu.Lock()
	w.zalo.failNext = []int{-213, -32}
	w.zalo.failHTTPNext = []int{502}
	w.zalo.mu.Unlock()
	if k, _ := kind(send(consumerID)); k != channel.Retry {
		t.Fatalf("a 502 is %v, want retry", k)
	}
	if k, _ := kind(send(consumerID)); k != channel.Unreachable {
		t.Fatalf("-213 is %v, want unreachable", k)
	}
	if k, wait := kind(send(consumerID)); k != channel.Retry || wait <= 0 {
		t.Fatalf("a rate error is %v waiting %v, want a retry with a wait", k, wait)
	}
	w.zalo.mu.Lock()
	w.zalo.failNext = []int{-232, -227, -211}
	w.zalo.mu.Unlock()
	for _, code := range []string{"-232", "-227"} {
		if k, _ := kind(send(consumerID)); k != channel.Unreachable {
			t.Fatalf("%s is %v, want unreachable", code, k)
		}
	}
	if k, wait := kind(send(consumerID)); k != channel.Retry || wait < time.Hour {
		t.Fatalf("an OA out of quota is %v waiting %v, want a retry an hour on", k, wait)
	}
	if k, _ := kind(send("")); k != channel.Permanent {
		t.Fatalf("an empty user is %v, want permanent", k)
	}
	if err := send(consumerID); err != nil {
		t.Fatalf("then: %v", err)
	}
	// -220, the expired token as integrators report Zalo naming it, is
	// refreshed and the message sent, like -216.
	refreshes, _ := w.zalo.counts()
	w.zalo.mu.Lock()
	w.zalo.failNext = []int{-220}
	w.zalo.mu.Unlock()
	if err := send(consumerID); err != nil {
		t.Fatalf("after -220: %v", err)
	}
	if after, _ := w.zalo.counts(); after != refreshes+1 {
		t.Fatalf("-220 made %d refreshes, want 1", after-refreshes)
	}
}

// Someone whose window has closed is not answered, and the reply fails
// for good with the reason, not retried.
func TestClosedWindowFailsWithReason(t *testing.T) {
	w := newWorld(t)
	stranger := "1112223334445556667"
	if status, body := w.Do(t, webhook(textEvent("late-1", stranger, "HD"))); status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	out := w.Settle(t)
	if len(out) != 1 || out[0].Status != core.StatusFailed || !strings.Contains(out[0].Error, "interaction window") || out[0].Attempts > 1 {
		t.Fatalf("stored %+v, want one failed at once naming the window", out)
	}
}

// A reply over Zalo's limit goes in parts, cut at line breaks.
func TestLongReplySplit(t *testing.T) {
	w := newWorld(t)
	z := w.channel()
	line := strings.Repeat("mật ong ", 30) // 240 characters
	text := strings.TrimSpace(strings.Repeat(line+"\n", 12))
	id, err := z.Send(context.Background(), core.URN("zalo:"+consumerID), channel.Outgoing{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	sent := w.zalo.texts()
	if len(sent) != 2 || id != sent[1].ID || sent[0].Text+"\n"+sent[1].Text != text {
		t.Fatalf("sent %d parts, want 2 that make the text again", len(sent))
	}
}

// An access token about to expire is refreshed before the send, not
// after Zalo refuses it.
func TestRefreshBeforeExpiry(t *testing.T) {
	w := newWorld(t)
	w.zalo.lifetime = 5 * time.Minute // within the margin: each pair is due at once
	z := w.channel()
	for i := range 2 {
		if _, err := z.Send(context.Background(), core.URN("zalo:"+consumerID), channel.Outgoing{Text: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if refreshes, reused := w.zalo.counts(); refreshes != 2 || reused != 0 {
		t.Fatalf("%d refreshes, %d reused refresh tokens: want 2 and none", refreshes, reused)
	}
}

// Two gateway processes share the token store. The access token expires
// while both are answering: exactly one refreshes, the other uses the
// pair it stored, the spent refresh token is never presented again, and
// every reply goes.
func TestTwoProcessesOneRefresh(t *testing.T) {
	w := newWorld(t)
	other := w.process(t)
	if status, _ := w.Do(t, webhook(textEvent("warm-1", consumerID, "HD"))); status != 200 {
		t.Fatal("the first message was refused")
	}
	w.Settle(t)
	// The refresh takes long enough for sends in both processes to find
	// the token expired and wait on the lock meanwhile.
	w.zalo.mu.Lock()
	w.zalo.slowRefresh = 200 * time.Millisecond
	w.zalo.mu.Unlock()
	w.zalo.expireAll()
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base := w.Gateway.URL
			if i%2 == 1 {
				base = other.Gateway.URL
			}
			user := consumerID
			if i%3 == 0 {
				user = farmerID
			}
			if status, body, err := w.Send(base, webhook(textEvent(fmt.Sprintf("burst-%d", i), user, "HD"))); err != nil || status != 200 {
				t.Errorf("message %d: %d %s %v", i, status, body, err)
			}
		}()
	}
	wg.Wait()
	out := w.Settle(t)
	if sent := channeltest.ByStatus(out)[core.StatusSent]; sent != n+1 || len(w.zalo.texts()) != n+1 {
		t.Fatalf("%d replies sent (%d at Zalo) of %d: %v", sent, len(w.zalo.texts()), n+1, channeltest.ByStatus(out))
	}
	if refreshes, reused := w.zalo.counts(); refreshes != 2 || reused != 0 {
		t.Fatalf("%d refreshes, %d reused refresh tokens: want the seed's and one after expiry, none reused", refreshes, reused)
	}
}

// A gateway restarted after the pair rotated still has ZALO_REFRESH_TOKEN
// set to the spent seed: it reads the stored pair, never the seed, and
// keeps sending through the next refresh.
func TestRestartAfterRotation(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	to := core.URN("zalo:" + consumerID)
	if _, err := w.channel().Send(ctx, to, channel.Outgoing{Text: "trước"}); err != nil {
		t.Fatal(err)
	}
	restarted := w.channel() // the same configuration, the seed long spent
	w.zalo.expireAll()
	for _, text := range []string{"sau", "nữa"} {
		if _, err := restarted.Send(ctx, to, channel.Outgoing{Text: text}); err != nil {
			t.Fatalf("after the restart: %v", err)
		}
	}
	if refreshes, reused := w.zalo.counts(); refreshes != 2 || reused != 0 {
		t.Fatalf("%d refreshes, %d spent refresh tokens presented: want the seed's and the stored one's, none spent", refreshes, reused)
	}
}
