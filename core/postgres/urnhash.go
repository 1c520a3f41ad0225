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
	key, err := db.secret(ctx, "urn_hash_key")
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(urn))
	return mac.Sum(nil)[:16], nil
}

// pinOf is a stamp's hidden PIN: six digits derived from its code with
// the deployment's PIN key, so a sheet prints it any time and the
// database keeps none.
func (db *DB) pinOf(ctx context.Context, code core.Code) (string, error) {
	key, err := db.secret(ctx, "pin_key")
	if err != nil {
		return "", err
	}
	return core.DerivePIN(key, code), nil
}

// secret reads a key of the settings once it succeeds; a failure (a
// cancelled request, a database restart) is not remembered.
func (db *DB) secret(ctx context.Context, name string) ([]byte, error) {
	k := db.urnKey
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.keys[name]; ok {
		return key, nil
	}
	var key string
	if err := db.q.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, name).Scan(&key); err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	if k.keys == nil {
		k.keys = map[string][]byte{}
	}
	k.keys[name] = []byte(key)
	return k.keys[name], nil
}

// urnKey holds the keys, read once and shared by every DB bound to the
// pool.
type urnKey struct {
	mu   sync.Mutex
	keys map[string][]byte
}
