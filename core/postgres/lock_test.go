package postgres_test

import (
	"context"
	"testing"
	"time"

	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// openVia opens a gateway process's database: its own pool through pooler.
func openVia(t *testing.T, url string, pooler postgres.Pooler, leaseTTL time.Duration) *postgres.DB {
	t.Helper()
	db, err := postgres.OpenVia(context.Background(), url, pooler)
	if err != nil {
		t.Fatal(err)
	}
	db.LeaseTTL = leaseTTL
	t.Cleanup(db.Close)
	return db
}

func tryLock(t *testing.T, db *postgres.DB, name string) (func(), bool) {
	t.Helper()
	release, ok, err := db.TryLock(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return release, ok
}

// A lock is one process's at a time, directly on Postgres (a session's
// advisory lock) and through PgBouncer in transaction mode (a lease), and
// the next process takes it once it is released.
func TestLockIsOneProcesssAtATime(t *testing.T) {
	for name, pooler := range map[string]postgres.Pooler{"direct": postgres.Direct, "pgbouncer": postgres.PgBouncer} {
		t.Run(name, func(t *testing.T) {
			url := pgtest.NewURL(t)
			if pooler == postgres.PgBouncer {
				url = pgtest.Bounced(t, url, 2)
			}
			const ttl = 300 * time.Millisecond
			a, b := openVia(t, url, pooler, ttl), openVia(t, url, pooler, ttl)
			release, ok := tryLock(t, a, "telegram-poller")
			if !ok {
				t.Fatal("the first process did not get a free lock")
			}
			// Held past several lease lifetimes: the holder renews it.
			for range 4 {
				if _, ok := tryLock(t, b, "telegram-poller"); ok {
					t.Fatal("a second process took a held lock")
				}
				time.Sleep(ttl / 2)
			}
			if other, ok := tryLock(t, b, "another"); !ok {
				t.Fatal("a lock of another name is held too")
			} else {
				other()
			}
			release()
			releaseB, ok := tryLock(t, b, "telegram-poller")
			if !ok {
				t.Fatal("a released lock was not taken")
			}
			releaseB()
		})
	}
}

// Through PgBouncer, a process that dies holding the lock (it stops
// renewing, and never releases) keeps it until its lease expires, then
// the others take it.
func TestLeaseOfADeadProcessExpires(t *testing.T) {
	url := pgtest.Bounced(t, pgtest.NewURL(t), 2)
	const ttl = 600 * time.Millisecond
	dying, other := openVia(t, url, postgres.PgBouncer, ttl), openVia(t, url, postgres.PgBouncer, ttl)
	release, ok := tryLock(t, dying, "telegram-poller")
	if !ok {
		t.Fatal("no lock")
	}
	defer release() // only stops the renewals, which already fail
	dying.Close()
	died := time.Now()
	for {
		_, ok := tryLock(t, other, "telegram-poller")
		if ok {
			break
		}
		if time.Since(died) > 5*ttl {
			t.Fatalf("the lease of a dead process still held after %s", time.Since(died))
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The last renewal may have come just before the close.
	if took := time.Since(died); took < ttl/2 {
		t.Fatalf("the lease of a dead process was taken after %s, before its TTL %s", took, ttl)
	}
}
