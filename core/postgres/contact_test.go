package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"tracegate/core"
)

func TestContacts(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	urn := core.URN("tel:+84977000001")

	c, err := s.Contacts.FindContact(ctx, urn)
	if err != nil || c.Lang != "" || c.Stopped || c.Pending != nil {
		t.Fatalf("a new contact = %+v, %v", c, err)
	}
	if err := s.Contacts.SetLang(ctx, urn, core.LangEN); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Contacts.SetLang(ctx, urn, "fr"), core.EINVALID)
	if err := s.Contacts.SetStopped(ctx, urn, true); err != nil {
		t.Fatal(err)
	}
	question := json.RawMessage(`{"ask": "lot"}`)
	if err := s.Contacts.SetPending(ctx, urn, question, time.Now().Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	c, _ = s.Contacts.FindContact(ctx, urn)
	if c.Lang != core.LangEN || !c.Stopped || string(c.Pending) != `{"ask": "lot"}` {
		t.Fatalf("contact = %+v (pending %s)", c, c.Pending)
	}

	// An expired question is as good as none.
	if err := s.Contacts.SetPending(ctx, urn, question, time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if c, _ = s.Contacts.FindContact(ctx, urn); c.Pending != nil {
		t.Fatalf("expired question still pending: %s", c.Pending)
	}
	if err := s.Contacts.SetStopped(ctx, urn, false); err != nil {
		t.Fatal(err)
	}
	if err := s.Contacts.SetPending(ctx, urn, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if c, _ = s.Contacts.FindContact(ctx, urn); c.Stopped || c.Pending != nil || c.Lang != core.LangEN {
		t.Fatalf("after START and clearing: %+v", c)
	}
}

func TestFindMembersAndFeedback(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")
	s.issue(t, a, 1)
	s.activate(t, a, s.openLot(t, a), 1, 1)

	members, err := s.Members.FindMembers(ctx, a.facility.ID)
	if err != nil || len(members) != 1 || members[0].ID != a.member.ID || members[0].URNs[0] != "tel:+84912345678" {
		t.Fatalf("members of A = %v, %v", members, err)
	}
	f := &core.Feedback{Channel: "sms", URN: "tel:+84977000001", Body: "Ngon"}
	if err := s.Feedback.GiveFeedback(ctx, string(s.codeOf(t, a, 1)), f); err != nil {
		t.Fatal(err)
	}
	got, err := s.Feedback.FindFeedback(ctx, a.member, f.ID)
	if err != nil || got.URN != f.URN || got.Body != "Ngon" || got.Code != f.Code {
		t.Fatalf("A's feedback = %+v, %v", got, err)
	}
	_, err = s.Feedback.FindFeedback(ctx, b.member, f.ID)
	wantCode(t, err, core.ENOTFOUND)
}
