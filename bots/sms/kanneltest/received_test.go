package kanneltest

import (
	"reflect"
	"testing"
	"time"
)

// These lines are as bearerbox 1.4.5 wrote them to fakesmsc.
func TestInboxDecodes(t *testing.T) {
	b := newInbox()
	for _, line := range []string{
		"8079 +849 text KH L7: 2 items, 50% off",
		"8079 +849 ucs-2 %00M%1E%AD%00t%00+%00o%00n%00g",
		"8079 +849 data %01%02A",
		// A long UCS-2 SMS in two parts, the second first, with another
		// SMS between them.
		"8079 +849 udh %05%00%03%04%02%02 data %00+%00o%00n%00g",
		"8079 +111 text between",
		"8079 +849 udh %05%00%03%04%02%01 data %00M%1E%AD%00t",
		// A long 7-bit SMS, 16-bit reference.
		"8079 +849 udh %06%08%04%01%00%02%01 data KH+L7+",
		"8079 +849 udh %06%08%04%01%00%02%02 data ok",
		// A 7-bit SMS with a line break comes as two lines.
		"8079 +849 text line 1",
		"line 2",
		"8079 +849 text ",
	} {
		b.add(line)
	}
	want := []SMS{
		{"8079", "+849", "KH L7: 2 items, 50% off"},
		{"8079", "+849", "Mật ong"},
		{"8079", "+849", "\x01\x02A"},
		{"8079", "+111", "between"},
		{"8079", "+849", "Mật ong"},
		{"8079", "+849", "KH L7 ok"},
		{"8079", "+849", "line 1\nline 2"},
		{"8079", "+849", ""},
	}
	if !reflect.DeepEqual(b.msgs, want) {
		t.Errorf("got\n%q\nwant\n%q", b.msgs, want)
	}
}

func TestReceivedWaitsForTheRestOfAText(t *testing.T) {
	ph := &phone{inbox: newInbox(), changed: make(chan struct{})}
	ph.take("2026-11-28 14:38:29 [1] [0] DEBUG: Got message 1: <8079 +849 text line 1>")
	if got, _, _ := ph.received(); len(got) != 0 {
		t.Fatalf("a fresh text SMS was reported: %q", got)
	}
	ph.take("2026-11-28 14:38:29 [1] [0] DEBUG: Got message 2: <line 2>")
	time.Sleep(settle)
	got, _, _ := ph.received()
	if want := []SMS{{"8079", "+849", "line 1\nline 2"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPhoneCountsSent(t *testing.T) {
	ph := &phone{inbox: newInbox(), changed: make(chan struct{})}
	ph.take("2026-11-28 14:38:29 [1] [0] DEBUG: fakesmsc: sent message 3")
	if ph.sent != 3 {
		t.Errorf("sent = %d, want 3", ph.sent)
	}
}
