package channeltest

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

// Messages returns every message in and out, oldest first.
func (w *World) Messages(t testing.TB) []*core.Message {
	t.Helper()
	return pgtest.Messages(t, w.DB.Pool)
}

// Inbound returns every message people sent, oldest first.
func (w *World) Inbound(t testing.TB) []*core.Message {
	t.Helper()
	return Filter(w.Messages(t), func(m *core.Message) bool { return m.Direction == "in" })
}

// Outbound returns every reply and notice, oldest first.
func (w *World) Outbound(t testing.TB) []*core.Message {
	t.Helper()
	return Filter(w.Messages(t), func(m *core.Message) bool { return m.Direction == "out" })
}

// History is one person's messages both ways, oldest first, as the
// message service keeps them.
func (w *World) History(t testing.TB, urn core.URN) []*core.Message {
	t.Helper()
	msgs, err := w.Services.Messages.FindMessagesByURN(context.Background(), urn, 100_000)
	if err != nil {
		t.Fatalf("channeltest: %v", err)
	}
	slices.Reverse(msgs)
	return msgs
}

// InboundOf is what urn sent, oldest first.
func (w *World) InboundOf(t testing.TB, urn core.URN) []*core.Message {
	t.Helper()
	return Filter(w.History(t, urn), func(m *core.Message) bool { return m.Direction == "in" })
}

// OutboundOf is what went, or waits to go, to urn, oldest first.
func (w *World) OutboundOf(t testing.TB, urn core.URN) []*core.Message {
	t.Helper()
	return Filter(w.History(t, urn), func(m *core.Message) bool { return m.Direction == "out" })
}

// Meta is what an inbound message carried besides its text, as the
// pipeline stores it.
type Meta struct {
	Photos     []string       `json:"photos"`
	Album      string         `json:"album"`
	Location   *core.Location `json:"location"`
	Contact    *core.URN      `json:"contact"`
	CutFrom    int            `json:"cut_from"`
	Attachment string         `json:"attachment"`
}

// MetaOf reads an inbound message's meta; zero when it has none.
func MetaOf(t testing.TB, m *core.Message) Meta {
	t.Helper()
	var meta Meta
	if len(m.Meta) == 0 {
		return meta
	}
	if err := json.Unmarshal(m.Meta, &meta); err != nil {
		t.Fatalf("channeltest: meta of message %d: %v", m.ID, err)
	}
	return meta
}

// ByStatus counts messages by status.
func ByStatus(msgs []*core.Message) map[string]int {
	n := map[string]int{}
	for _, m := range msgs {
		n[m.Status]++
	}
	return n
}

// Filter keeps the xs that keep says to.
func Filter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// Count counts the xs that match.
func Count[T any](xs []T, match func(T) bool) int { return len(Filter(xs, match)) }
