package postgres_test

import (
	"context"
	"testing"
	"time"

	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// Every event of the story's lots is in the outbox once, from the
// transaction that recorded it; the one row with no event left is the
// entry undone since.
func TestOutboxHoldsEveryEventOnce(t *testing.T) {
	pool := pgtest.New(t)
	db := postgres.New(pool)
	st := pgtest.Seed{}.PlantStory(t, postgres.NewServices(db), pool)
	h := postgres.NewHistoryService(db)
	ctx := context.Background()
	outbox := postgres.NewCaptureOutbox(db)
	items, err := outbox.Claim(ctx, 1000, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	matched := map[int64]bool{}
	for _, lot := range []*core.Lot{st.Lot, st.Batch} {
		events, err := h.LotHistory(ctx, lot.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range events {
			var n int
			for _, it := range items {
				if it.Is(ev) {
					n++
					matched[it.ID] = true
				}
			}
			if n != 1 {
				t.Errorf("lot %s: %s at %s is in the outbox %d times, want once", lot.Code, what(ev), ev.At, n)
			}
		}
	}
	if left := len(items) - len(matched); left != 1 {
		t.Errorf("%d outbox rows name no event, want 1 (the undone entry)", left)
	}
	// Claimed rows are leased: another claim gets none of them.
	if again, err := outbox.Claim(ctx, 1000, time.Minute); err != nil || len(again) != 0 {
		t.Errorf("a second claim took %d rows, %v; want none", len(again), err)
	}
}

// Settling is for the claim it was made under: a pusher whose lease ran
// out and whose row was claimed again changes nothing.
func TestOutboxSettlesOnlyTheCurrentClaim(t *testing.T) {
	pool := pgtest.New(t)
	db := postgres.New(pool)
	pgtest.Seed{}.Plant(t, postgres.NewServices(db))
	ctx := context.Background()
	outbox := postgres.NewCaptureOutbox(db)
	first, err := outbox.Claim(ctx, 1, -time.Second) // a lease already over
	if err != nil || len(first) != 1 {
		t.Fatalf("claimed %d, %v", len(first), err)
	}
	second, err := outbox.Claim(ctx, 1, time.Minute)
	if err != nil || len(second) != 1 || second[0].ID != first[0].ID {
		t.Fatalf("the expired claim was not claimed again: %v, %v", second, err)
	}
	if err := outbox.Fail(ctx, first[0], "late"); err != nil {
		t.Fatal(err)
	}
	if err := outbox.Pushed(ctx, second[0], "/jobs/1"); err != nil {
		t.Fatal(err)
	}
	if n := pgtest.Count(t, pool, `SELECT count(*) FROM epcis_outbox WHERE id = $1 AND state = 'pushed'
		AND location = '/jobs/1' AND attempts = 2`, first[0].ID); n != 1 {
		t.Error("the late settle of the first claim overrode the second")
	}
}
