package telegram_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

// Two gateway processes poll: one at a time, and no update is handled
// twice.
func TestPollingWithTwoProcesses(t *testing.T) {
	const n = 30
	w := newWorld(t)
	for i := range n {
		text := "HD"
		if i == 0 {
			text = "HD\x00" // cleaned, not a poison that blocks the updates after it
		}
		w.api.queue(withNUL(textUpdate(1000+i, int64(consumerID+i), text)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for range 2 {
		tg, p := w.process(t)
		go tg.Poll(ctx, p.Pipe, 100*time.Millisecond, log)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(w.Inbound(t)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d updates handled", len(w.Inbound(t)), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	w.Settle(t)
	cancel()
	if got := len(w.api.sent()); got != n {
		t.Fatalf("%d replies for %d updates", got, n)
	}
	w.api.mu.Lock()
	defer w.api.mu.Unlock()
	if w.api.maxPolls != 1 {
		t.Fatalf("%d processes polled at once", w.api.maxPolls)
	}
}
