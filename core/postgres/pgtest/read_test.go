package pgtest_test

import (
	"context"
	"testing"

	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// The readers return what the services stored, as the services name it.
func TestReaders(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	s := postgres.NewServices(postgres.New(pool))
	seeded := pgtest.Seed{Stamps: 5, Activated: 2}.Plant(t, s)
	in := &core.Message{Channel: "sms", URN: "tel:+84977000001", Text: "HD", ProviderID: "SM1", Meta: []byte(`{"cut_from": 1700}`)}
	if _, err := s.Messages.StoreInbound(ctx, in); err != nil {
		t.Fatal(err)
	}
	out := &core.Message{Kind: core.KindReply, Channel: "sms", URN: in.URN, Text: "Tra cứu", InReplyTo: &in.ID, Priority: core.PriorityReply}
	if err := s.Messages.StoreOutbound(ctx, out); err != nil {
		t.Fatal(err)
	}
	msgs := pgtest.Messages(t, pool)
	if len(msgs) != 2 || msgs[0].ID != in.ID || msgs[0].Direction != "in" || msgs[0].ProviderID != "SM1" ||
		string(msgs[0].Meta) != `{"cut_from": 1700}` || msgs[1].Status != core.StatusQueued || *msgs[1].InReplyTo != in.ID {
		t.Fatalf("messages %+v", msgs)
	}
	f := &core.Feedback{Channel: "sms", URN: in.URN, Body: "ngon"}
	if err := s.Feedback.GiveFeedback(ctx, string(seeded.Codes[0]), f); err != nil {
		t.Fatal(err)
	}
	if got := pgtest.Feedback(t, pool); len(got) != 1 || got[0].ID != f.ID || got[0].Body != "ngon" || got[0].URN != in.URN {
		t.Fatalf("feedback %+v", got)
	}
	for _, sender := range []core.URN{"tel:+84977000001", "tel:+84977000002", "tel:+84977000001"} {
		if _, err := s.Lookups.Lookup(ctx, core.LookupRequest{Input: string(seeded.Codes[0]), Channel: "sms", Sender: sender}); err != nil {
			t.Fatal(err)
		}
	}
	lookups := pgtest.Lookups(t, pool)
	if len(lookups) != 3 || lookups[0].Code != string(seeded.Codes[0]) || lookups[0].Verdict != core.VerdictGenuine ||
		lookups[0].Sender != lookups[2].Sender || lookups[0].Sender == lookups[1].Sender {
		t.Fatalf("lookups %+v", lookups)
	}
}
