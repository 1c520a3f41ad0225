package postgres

import "time"

// SetReaderRetry shortens how long reads stay off a replica that could not
// be reached, so a test sees them come back without waiting readerRetry.
func SetReaderRetry(db *DB, d time.Duration) {
	db.read.mu.Lock()
	defer db.read.mu.Unlock()
	db.read.retry = d
}
