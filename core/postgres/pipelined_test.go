package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// In a message's transaction a lookup's record waits for the next
// statement: the transaction still reads it, a savepoint cannot undo it,
// it commits with the rest, and when it fails nothing of the transaction
// is kept and the error says which write it was.
func TestWaitingWrites(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	p := s.newProducer(t, "HTX A", "0912345678")
	s.issue(t, p, 3)
	s.activate(t, p, s.openLot(t, p), 1, 3)
	lookup := func(svc core.Services, channel string, serial int64) error {
		_, err := svc.Lookups.Lookup(ctx, core.LookupRequest{Input: string(s.codeOf(t, p, serial)), Channel: channel, Sender: "tel:+84977000001"})
		return err
	}
	err := s.db.InTx(ctx, func(tx pgx.Tx, svc core.Services) error {
		if err := lookup(svc, "sms", 1); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM lookups`).Scan(&n); err != nil || n != 1 {
			t.Errorf("the transaction read %d lookups (%v), want its own 1", n, err)
		}
		if err := lookup(svc, "sms", 2); err != nil {
			return err
		}
		sp, err := tx.Begin(ctx) // a savepoint, rolled back: the second lookup was before it
		if err != nil {
			return err
		}
		return sp.Rollback(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := s.count(t, `SELECT count(*) FROM lookups`); n != 2 {
		t.Fatalf("%d lookups committed, want 2", n)
	}
	if _, err := s.db.Pool.Exec(ctx, `ALTER TABLE lookups ADD CONSTRAINT refuse_zz CHECK (channel <> 'zz')`); err != nil {
		t.Fatal(err)
	}
	err = s.db.InTx(ctx, func(_ pgx.Tx, svc core.Services) error {
		if _, err := svc.Messages.Arrive(ctx, &core.Message{Channel: "zz", URN: "tel:+84977000001", Text: "x", ProviderID: "SMzz"}, 0, 1); err != nil {
			return err
		}
		return lookup(svc, "zz", 3) // waits, and fails with the commit's flush
	})
	if err == nil || !strings.Contains(err.Error(), "record lookup") {
		t.Fatalf("a failing waiting write: %v", err)
	}
	if n := s.count(t, `SELECT count(*) FROM messages WHERE channel = 'zz'`) + s.count(t, `SELECT count(*) FROM lookups`); n != 2 {
		t.Fatalf("a failed transaction kept something: %d rows", n)
	}
}
