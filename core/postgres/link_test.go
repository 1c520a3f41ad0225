package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"tracegate/core"
)

// reasonOf is why core refused, "" for no refusal.
func reasonOf(err error) string {
	var e *core.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

func TestLinkByCode(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")
	zalo := core.URN("zalo:8901234567890123456")

	old, err := s.Members.IssueLinkCode(ctx, a.member.ID)
	if err != nil {
		t.Fatal(err)
	}
	code, err := s.Members.IssueLinkCode(ctx, a.member.ID)
	if err != nil || !core.IsLinkCode(code.Code) {
		t.Fatalf("issued %+v, %v", code, err)
	}
	if n := s.count(t, `SELECT count(*) FROM link_codes WHERE member_id = $1`, a.member.ID); n != 1 {
		t.Fatalf("%d live codes, want the newest only", n)
	}
	if n := s.count(t, `SELECT count(*) FROM link_codes WHERE code_hash = convert_to($1, 'UTF8')`, code.Code); n != 0 {
		t.Fatal("the code is stored as it was sent")
	}
	if old.Code != code.Code {
		_, err = s.Members.LinkByCode(ctx, zalo, old.Code)
		if reasonOf(err) != core.ReasonLinkCodeWrong {
			t.Fatalf("a replaced code: %v", err)
		}
	}

	m, err := s.Members.LinkByCode(ctx, zalo, code.Code)
	if err != nil || m.ID != a.member.ID || len(m.URNs) != 2 {
		t.Fatalf("linked %+v, %v", m, err)
	}
	if got, err := s.Members.FindMemberByURN(ctx, zalo); err != nil || got.ID != a.member.ID {
		t.Fatalf("the Zalo account belongs to %+v, %v", got, err)
	}
	if _, err := s.Members.LinkByCode(ctx, "zalo:1111", code.Code); reasonOf(err) != core.ReasonLinkCodeWrong {
		t.Fatalf("a used code: %v", err)
	}

	// B's code sent from A's account links nothing and stays live for B.
	bCode, _ := s.Members.IssueLinkCode(ctx, b.member.ID)
	if _, err := s.Members.LinkByCode(ctx, zalo, bCode.Code); reasonOf(err) != core.ReasonLinkTaken {
		t.Fatalf("another member's account: %v", err)
	}
	if m, err := s.Members.LinkByCode(ctx, "telegram:424242", bCode.Code); err != nil || m.ID != b.member.ID {
		t.Fatalf("B's code after the refusal: %+v, %v", m, err)
	}

	// A code sent too late says so, and is no guess.
	late, _ := s.Members.IssueLinkCode(ctx, a.member.ID)
	s.db.Pool.Exec(ctx, `UPDATE link_codes SET expires_at = now() - interval '1 second'`)
	if _, err := s.Members.LinkByCode(ctx, "zalo:2222", late.Code); reasonOf(err) != core.ReasonLinkCodeExpired {
		t.Fatalf("an expired code: %v", err)
	}
	// Still expired when sent again, after another member asked for a code.
	s.Members.IssueLinkCode(ctx, b.member.ID)
	if _, err := s.Members.LinkByCode(ctx, "zalo:2222", late.Code); reasonOf(err) != core.ReasonLinkCodeExpired {
		t.Fatalf("an expired code sent again: %v", err)
	}
	if n := s.count(t, `SELECT count(*) FROM link_attempts WHERE urn = 'zalo:2222' AND failures > 0`); n != 0 {
		t.Fatal("an expired code was counted as a guess")
	}

	if _, err := s.Members.IssueLinkCode(ctx, 999999); core.ErrorCodeOf(err) != core.ENOTFOUND {
		t.Fatalf("a code for no member: %v", err)
	}
}

// Five wrong codes lock the account out for an hour, whatever it sends
// then, even the right code; the lock is the account's, not the code's.
func TestLinkLockout(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	guesser := core.URN("zalo:3333")
	code, _ := s.Members.IssueLinkCode(ctx, a.member.ID)
	wrong := "100000"
	if wrong == code.Code {
		wrong = "100001"
	}
	for i := 1; i < core.LinkTries; i++ {
		_, err := s.Members.LinkByCode(ctx, guesser, wrong)
		var e *core.Error
		if !errors.As(err, &e) || e.Reason != core.ReasonLinkCodeWrong || e.Data["Left"] != core.LinkTries-i {
			t.Fatalf("guess %d: %v %+v", i, err, e)
		}
	}
	if _, err := s.Members.LinkByCode(ctx, guesser, wrong); reasonOf(err) != core.ReasonLinkLocked {
		t.Fatalf("guess %d: %v", core.LinkTries, err)
	}
	if _, err := s.Members.LinkByCode(ctx, guesser, code.Code); reasonOf(err) != core.ReasonLinkLocked {
		t.Fatalf("the right code while locked out: %v", err)
	}
	if m, err := s.Members.LinkByCode(ctx, "zalo:4444", code.Code); err != nil || m.ID != a.member.ID {
		t.Fatalf("another account with the right code: %+v, %v", m, err)
	}
	s.db.Pool.Exec(ctx, `UPDATE link_attempts SET locked_until = now() - interval '1 second'`)
	next, _ := s.Members.IssueLinkCode(ctx, a.member.ID)
	if m, err := s.Members.LinkByCode(ctx, guesser, next.Code); err != nil || m.ID != a.member.ID {
		t.Fatalf("after the lockout: %+v, %v", m, err)
	}
}

// Guesses sent at once, to three gateway processes, are counted one
// after the other: no more than LinkTries are ever weighed.
func TestLinkGuessesAtOnce(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	code, _ := s.Members.IssueLinkCode(ctx, a.member.ID)
	wrong := "100000"
	if wrong == code.Code {
		wrong = "100001"
	}
	processes := []*services{s, s.process(t), s.process(t)}
	var mu sync.Mutex
	reasons := map[string]int{}
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			_, err := processes[i%3].Members.LinkByCode(ctx, "zalo:5555", wrong)
			mu.Lock()
			reasons[reasonOf(err)]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if reasons[core.ReasonLinkCodeWrong] != core.LinkTries-1 || reasons[core.ReasonLinkLocked] != 12-(core.LinkTries-1) {
		t.Fatalf("answers %v", reasons)
	}
}

// A Zalo account is a member's URN; one that is not a Zalo user id is not.
func TestZaloMemberURN(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	if err := s.Members.AddURN(ctx, a.member.ID, "zalo:8901234567890123456"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Members.AddURN(ctx, a.member.ID, "zalo:not-an-id"), core.EINVALID)
}
