package pgtest_test

import (
	"context"
	"testing"
	"time"

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
	if _, err := s.Messages.Arrive(ctx, in, time.Minute, 1); err != nil {
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

// A digest moves with any change of any row, a state included; the
// question's helpers read and expire what the contact service keeps.
func TestStateHelpers(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	s := postgres.NewServices(postgres.New(pool))
	seeded := pgtest.Seed{Stamps: 5}.Plant(t, s)
	before := pgtest.Digest(t, pool, "stamps", "lots")
	if pgtest.Digest(t, pool, "stamps", "lots") != before || pgtest.Rows(t, pool, "stamps") != 5 {
		t.Fatal("a digest or count moved with nothing done")
	}
	if _, err := s.Stamps.Void(ctx, seeded.Farmer, core.SerialRange{From: 1, To: 1}); err != nil {
		t.Fatal(err)
	}
	if pgtest.Digest(t, pool, "stamps", "lots") == before {
		t.Fatal("voiding a stamp left the digest as it was")
	}
	if !pgtest.CodeTaken(t, pool, seeded.Codes[0]) {
		t.Fatal("a stamp's code reads as free")
	}
	urn := core.URN("tel:+84977000001")
	until := time.Now().Add(time.Hour)
	if err := s.Contacts.SetPending(ctx, urn, []byte(`{"ask":"lot"}`), until); err != nil {
		t.Fatal(err)
	}
	if got := pgtest.PendingUntil(t, pool, urn); !got.Round(time.Second).Equal(until.Round(time.Second)) {
		t.Fatalf("pending until %s, want %s", got, until)
	}
	pgtest.ExpirePending(t, pool, urn)
	if c, err := s.Contacts.FindContact(ctx, urn); err != nil || c.Pending != nil {
		t.Fatalf("an expired question still reads: %+v, %v", c, err)
	}
}
