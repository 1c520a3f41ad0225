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
	k, err := db.keys(ctx)
	if err != nil {
		return nil, err
	}
	return k.hashURN(urn), nil
}

// pinOf is a stamp's hidden PIN: six digits derived from its code with
// the deployment's PIN key, so a sheet prints it any time and the
// database keeps none.
func (db *DB) pinOf(ctx context.Context, code core.Code) (string, error) {
	k, err := db.keys(ctx)
	if err != nil {
		return "", err
	}
	return k.pin(code), nil
}

// secrets are the deployment's keys, loaded. Code that holds a connection
// (a transaction, rows being read) loads them first: loading them then
// would wait for a second connection of a pool the waiting holders may
// have exhausted.
type secrets struct{ urn, pinKey []byte }

func (k secrets) hashURN(urn core.URN) []byte {
	mac := hmac.New(sha256.New, k.urn)
	mac.Write([]byte(urn))
	return mac.Sum(nil)[:16]
}

func (k secrets) pin(code core.Code) string { return core.DerivePIN(k.pinKey, code) }

// keys loads both keys, once each.
func (db *DB) keys(ctx context.Context) (secrets, error) {
	urn, err := db.secret(ctx, "urn_hash_key")
	if err != nil {
		return secrets{}, err
	}
	pinKey, err := db.secret(ctx, "pin_key")
	return secrets{urn: urn, pinKey: pinKey}, err
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
