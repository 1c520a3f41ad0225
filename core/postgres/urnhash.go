package postgres

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"sync"

	"tracegate/core"
)

// hashURN keys a sender's URN with the deployment's secret: lookups can
// count distinct senders without storing who they are, and a phone number
// cannot be recovered by hashing every number in the country.
func (db *DB) hashURN(ctx context.Context, urn core.URN) ([]byte, error) {
	key, err := db.loadURNKey(ctx)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(urn))
	return mac.Sum(nil)[:16], nil
}

// loadURNKey reads the key once it succeeds; a failure (a cancelled
// request, a database restart) is not remembered.
func (db *DB) loadURNKey(ctx context.Context) ([]byte, error) {
	k := db.urnKey
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, nil
	}
	var key string
	if err := db.q.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'urn_hash_key'`).Scan(&key); err != nil {
		return nil, fmt.Errorf("load urn hash key: %w", err)
	}
	k.key = []byte(key)
	return k.key, nil
}

// urnKey is the key, read once and shared by every DB bound to the pool.
type urnKey struct {
	mu  sync.Mutex
	key []byte
}
