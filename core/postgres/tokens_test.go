package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tracegate/core"
	"tracegate/core/postgres"
)

// A seed fills only an empty store: once the pair has rotated, the
// configured refresh token is spent and must not come back.
func TestZaloTokensSeedOnce(t *testing.T) {
	s := newServices(t)
	z := postgres.NewTokenStore(s.db, "zalo")
	ctx := context.Background()
	if _, err := z.Current(ctx, ""); core.ErrorCodeOf(err) != core.ENOTFOUND {
		t.Fatalf("empty store without a seed: %v, want not found", err)
	}
	cur, err := z.Current(ctx, "seed-1")
	if err != nil || cur.Refresh != "seed-1" || cur.Access != "" || time.Now().Before(cur.ExpiresAt) {
		t.Fatalf("seeded %+v, %v: want refresh seed-1, no access token, expired", cur, err)
	}
	if _, err := z.Refresh(ctx, "", func(_ context.Context, r string) (core.ProviderToken, error) {
		return core.ProviderToken{Access: "a2", Refresh: "r2", ExpiresAt: time.Now().Add(time.Hour)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if cur, err = z.Current(ctx, "seed-1"); err != nil || cur.Refresh != "r2" || cur.Access != "a2" {
		t.Fatalf("after a refresh and a seed %+v, %v: want a2/r2", cur, err)
	}
}

// Processes that find the same access token stale at once spend the
// refresh token once: those that waited get the pair the first stored.
func TestZaloTokensRefreshOnce(t *testing.T) {
	s := newServices(t)
	z := postgres.NewTokenStore(s.db, "zalo")
	ctx := context.Background()
	if _, err := z.Current(ctx, "r1"); err != nil {
		t.Fatal(err)
	}
	var fetches atomic.Int32
	fetch := func(_ context.Context, refresh string) (core.ProviderToken, error) {
		n := fetches.Add(1)
		time.Sleep(50 * time.Millisecond) // the others queue on the lock
		return core.ProviderToken{Access: fmt.Sprintf("a%d", n), Refresh: refresh + "+", ExpiresAt: time.Now().Add(time.Hour)}, nil
	}
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pair, err := z.Refresh(ctx, "", fetch)
			if err != nil {
				t.Error(err)
			}
			got[i] = pair.Access + "/" + pair.Refresh
		}()
	}
	wg.Wait()
	if n := fetches.Load(); n != 1 {
		t.Fatalf("refreshed %d times, want once", n)
	}
	for _, g := range got {
		if g != "a1/r1+" {
			t.Fatalf("got pairs %q, want every one a1/r1+", got)
		}
	}
}

// A failed fetch stores nothing: the refresh token stays for the next try.
func TestZaloTokensFailedRefresh(t *testing.T) {
	s := newServices(t)
	z := postgres.NewTokenStore(s.db, "zalo")
	ctx := context.Background()
	if _, err := z.Current(ctx, "r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := z.Refresh(ctx, "", func(context.Context, string) (core.ProviderToken, error) {
		return core.ProviderToken{}, fmt.Errorf("zalo is down")
	}); err == nil {
		t.Fatal("a failed fetch refreshed")
	}
	if cur, err := z.Current(ctx, ""); err != nil || cur.Refresh != "r1" {
		t.Fatalf("after a failed refresh %+v, %v: want r1 kept", cur, err)
	}
}
