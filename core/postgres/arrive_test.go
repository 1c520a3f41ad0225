package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tracegate/core"
)

// A message arrives with its sender in one round trip: stored once, the
// sender's recent messages counted with it and up to a bound, the contact
// and the member read.
func TestArrive(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	p := s.newProducer(t, "HTX A", "0912345678")
	farmer, consumer := p.member.URNs[0], core.URN("tel:+84977000001")
	if err := s.Contacts.SetLang(ctx, consumer, core.LangEN); err != nil {
		t.Fatal(err)
	}
	arrive := func(urn core.URN, id string, atMost int) *core.Arrival {
		t.Helper()
		a, err := s.Messages.Arrive(ctx, &core.Message{Channel: "sms", URN: urn, Text: "hi", ProviderID: id}, time.Minute, atMost)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	first := arrive(consumer, "SM1", 10)
	if !first.Stored || first.Recent != 1 || first.Member != nil || first.Contact.Lang != core.LangEN {
		t.Fatalf("first arrival %+v", first)
	}
	if again := arrive(consumer, "SM1", 10); again.Stored {
		t.Fatalf("a provider's retry was stored again: %+v", again)
	}
	for i := range 5 {
		arrive(consumer, fmt.Sprintf("SM%d", i+2), 10)
	}
	if a := arrive(consumer, "SM9", 4); a.Recent != 4 {
		t.Fatalf("counted %d recent messages, want the bound 4", a.Recent)
	}
	if s.count(t, `SELECT count(*) FROM messages WHERE urn = $1`, consumer) != 7 {
		t.Fatal("not every new message was stored once")
	}
	a := arrive(farmer, "SM10", 10)
	if a.Member == nil || a.Member.ID != p.member.ID || a.Recent != 1 || a.Contact.Lang != "" {
		t.Fatalf("the farmer's arrival %+v", a)
	}
}
