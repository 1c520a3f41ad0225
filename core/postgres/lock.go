package postgres

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
)

// TryLock takes a lock by name for as long as the caller holds it, across
// every gateway process: only one of them polls Telegram at a time. It is
// released when release is called or when the process dies.
func (db *DB) TryLock(ctx context.Context, name string) (release func(), ok bool, err error) {
	if db.TransactionPooled() {
		return db.tryLease(ctx, name)
	}
	return db.tryAdvisoryLock(ctx, name)
}

// tryAdvisoryLock holds a session's advisory lock on a connection of its
// own, which the server releases the moment the process's connection
// goes. A transaction pooler gives no connection of one's own.
func (db *DB) tryAdvisoryLock(ctx context.Context, name string) (release func(), ok bool, err error) {
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("lock %s: %w", name, err)
	}
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 1))`, name).Scan(&ok); err != nil || !ok {
		conn.Release()
		if err != nil {
			return nil, false, fmt.Errorf("lock %s: %w", name, err)
		}
		return nil, false, nil
	}
	return func() {
		// A connection that cannot unlock is closed, which unlocks.
		if _, err := conn.Exec(context.Background(), `SELECT pg_advisory_unlock(hashtextextended($1, 1))`, name); err != nil {
			conn.Conn().Close(context.Background())
		}
		conn.Release()
	}, true, nil
}

// defaultLeaseTTL bounds how long a dead holder keeps a lease: Telegram's
// updates wait that long after a crash, as they wait for a restart.
const defaultLeaseTTL = 15 * time.Second

// tryLease takes the lease row of name if it is free or expired, and
// renews it every third of its TTL until release. Behind a transaction
// pooler nothing on the server outlives a transaction, so a row is what
// holds; a holder that dies stops renewing and the lease expires.
func (db *DB) tryLease(ctx context.Context, name string) (release func(), ok bool, err error) {
	ttl := cmp.Or(db.LeaseTTL, defaultLeaseTTL)
	holder := leaseHolder()
	// ON CONFLICT re-checks the expiry on the row as committed by a
	// concurrent taker, so of two that race for an expired lease one wins.
	err = db.Pool.QueryRow(ctx, `
		INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.expires_at <= now()
		RETURNING true`, name, holder, ttl.Milliseconds()).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("lease %s: %w", name, err)
	}
	renewCtx, stopRenewing := context.WithCancel(context.WithoutCancel(ctx))
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		db.renewLease(renewCtx, name, holder, ttl)
	}()
	return func() {
		stopRenewing()
		<-renewed
		// A lease that cannot be given back expires on its own.
		releaseCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		db.Pool.Exec(releaseCtx, `DELETE FROM leases WHERE name = $1 AND holder = $2`, name, holder)
	}, true, nil
}

// renewLease pushes the lease's expiry out every third of ttl until ctx
// ends, so two renewals may fail (the database restarting) before it is
// lost. It stops once the lease is no longer the holder's: renewing
// cannot take back what another process has taken since.
func (db *DB) renewLease(ctx context.Context, name, holder string, ttl time.Duration) {
	tick := time.NewTicker(ttl / 3)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		tag, err := db.Pool.Exec(ctx, `
			UPDATE leases SET expires_at = now() + $3 * interval '1 millisecond'
			WHERE name = $1 AND holder = $2`, name, holder, ttl.Milliseconds())
		if err == nil && tag.RowsAffected() == 0 {
			return
		}
	}
}

// leaseHolder names one taking of a lease: the process, for whoever reads
// the table, and a random part, so that a holder's renewals and release
// touch only its own taking.
func leaseHolder() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), rand.Text()[:8])
}
