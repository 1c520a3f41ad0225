package postgres

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"

	"tracegate/core"
)

// hashURN keys a sender's URN with the deployment's secret: lookups can
// count distinct senders without storing who they are, and a phone number
// cannot be recovered by hashing every number in the country.
func (db *DB) hashURN(ctx context.Context, urn core.URN) ([]byte, error) {
	db.urnKeyOnce.Do(func() {
		var key string
		db.urnKeyErr = db.Pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'urn_hash_key'`).Scan(&key)
		db.urnKey = []byte(key)
	})
	if db.urnKeyErr != nil {
		return nil, fmt.Errorf("load urn hash key: %w", db.urnKeyErr)
	}
	mac := hmac.New(sha256.New, db.urnKey)
	mac.Write([]byte(urn))
	return mac.Sum(nil)[:16], nil
}
