package channeltest

import (
	"strings"
	"testing"

	"tracegate/core"
)

// Case is one provider request and what it must leave behind: the
// answer, the inbound message stored (or none), and the replies queued
// to it.
type Case struct {
	Name string
	Request
	Status int
	Answer string // the answer's body, exactly, when set
	// In is the message the request stores; nil when it must store none
	// (refused, or a retry of one stored), and then it queues nothing.
	In *In
	// Replies each appear in the text of some reply queued to In; Silent
	// says it gets none. Neither: the replies are not looked at.
	Replies []string
	Silent  bool
}

// In is a stored inbound message as a case expects it.
type In struct {
	URN        core.URN
	Text       string   // exactly as stored
	ProviderID string   // checked when set
	Photos     []string // checked when not nil: empty for none
	CutFrom    int      // checked when set
}

// Run runs the cases in order on one world, each a subtest.
func Run(t *testing.T, w *World, cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { c.run(t, w) })
	}
}

func (c Case) run(t *testing.T, w *World) {
	t.Helper()
	last := lastID(w.Messages(t))
	status, body := w.Do(t, c.Request)
	if status != c.Status {
		t.Fatalf("status %d, want %d: %s", status, c.Status, body)
	}
	if c.Answer != "" && body != c.Answer {
		t.Fatalf("answered %q, want %q", body, c.Answer)
	}
	added := Filter(w.Messages(t), func(m *core.Message) bool { return m.ID > last })
	in := Filter(added, func(m *core.Message) bool { return m.Direction == "in" })
	switch {
	case c.In == nil && len(added) > 0:
		t.Fatalf("stored %d messages, want none: %s", len(added), texts(added))
	case c.In == nil:
		return
	case len(in) != 1:
		t.Fatalf("stored %d inbound messages, want 1: %s", len(in), texts(in))
	}
	c.In.check(t, w, in[0])
	c.checkReplies(t, Filter(added, func(m *core.Message) bool { return m.InReplyTo != nil && *m.InReplyTo == in[0].ID }))
}

func (want *In) check(t *testing.T, w *World, m *core.Message) {
	t.Helper()
	if m.URN != want.URN || m.Text != want.Text {
		t.Fatalf("stored %q from %s, want %q from %s", m.Text, m.URN, want.Text, want.URN)
	}
	if want.ProviderID != "" && m.ProviderID != want.ProviderID {
		t.Fatalf("stored with provider id %q, want %q", m.ProviderID, want.ProviderID)
	}
	meta := MetaOf(t, m)
	if want.Photos != nil && strings.Join(meta.Photos, " ") != strings.Join(want.Photos, " ") {
		t.Fatalf("stored photos %q, want %q", meta.Photos, want.Photos)
	}
	if want.CutFrom != 0 && meta.CutFrom != want.CutFrom {
		t.Fatalf("stored as cut from %d characters, want %d", meta.CutFrom, want.CutFrom)
	}
}

func (c Case) checkReplies(t *testing.T, replies []*core.Message) {
	t.Helper()
	if c.Silent && len(replies) > 0 {
		t.Fatalf("answered %s, want silence", texts(replies))
	}
	all := texts(replies)
	for _, want := range c.Replies {
		if !strings.Contains(all, want) {
			t.Errorf("no reply says %q: %s", want, all)
		}
	}
}

func lastID(msgs []*core.Message) int64 {
	if len(msgs) == 0 {
		return 0
	}
	return msgs[len(msgs)-1].ID
}

// texts lists messages' texts for a failure's message.
func texts(msgs []*core.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString("\n\t" + m.Direction + " " + string(m.URN) + ": " + m.Text)
	}
	return b.String()
}
