package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A read replica (DATABASE_READ_URL) takes the reads that may be a moment
// old: the public stamp page's provenance and the statistics. Everything
// else, and every read inside a transaction, stays on the primary.
//
// A streaming replica lags the primary, usually by well under a second.
// What that means for a user, and what is done about it:
//
//   - A farmer activates a roll and scans a stamp a second later. The
//     replica may still say "issued" (or, for a batch just printed, know no
//     such code): the page would say "not activated" or "unknown code, may
//     be fake", the one answer we must not give a genuine product. So a
//     lookup whose replica answer is not yet settled (no stamp, or issued)
//     is read again from the primary before it is answered; see readBatch.
//   - A stamp voided or a lot recalled a moment ago may read as genuine on
//     the replica for as long as the lag. The recall's notices go out from
//     the primary all the same, and the next lookup after the replay says
//     recalled; re-reading every genuine answer from the primary would send
//     every read back to it.
//   - The lookup's counts (how often, by how many senders) and the
//     dashboard may miss the last moment's lookups. A PIN's first use is
//     decided by the write on the primary, never by the read, so a PIN used
//     a moment ago still answers "already used".
//
// A replica that is down, or that refuses a query, does not take a page
// down: the read is done again on the primary, and after a connection
// error the replica is left alone for readerRetry (logged once) so that
// every request does not wait for a dead server's connect timeout first.

// readerRetry is how long reads stay on the primary after the replica
// could not be reached.
const readerRetry = 10 * time.Second

// readerConnectTimeout bounds a connect to the replica when its URL sets
// none: a replica that is gone costs a page at most this, not the
// kernel's minutes of SYN retries.
const readerConnectTimeout = 2 * time.Second

// replica is the read pool and what is known of its health. DB holds it by
// pointer, so the copies InTx makes share one state.
type replica struct {
	pool  *pgxpool.Pool
	log   *slog.Logger
	retry time.Duration

	mu        sync.Mutex
	downUntil time.Time // reads go to the primary until then
	down      bool      // the outage has been logged, its end not yet
}

// OpenRead connects the read pool to url, a streaming replica of the
// primary. Only a bad URL is an error: a replica that cannot be reached
// now is logged and retried later, the primary answering meanwhile.
func (db *DB) OpenRead(ctx context.Context, url string, log *slog.Logger) error {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("open read replica: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = readerConnectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("open read replica %s: %w", cfg.ConnConfig.Host, err)
	}
	db.UseReader(pool, log)
	db.checkReader(ctx)
	return nil
}

// UseReader sends the reads that may lag to pool, which Close closes. log
// receives the replica's outages; nil is slog's default.
func (db *DB) UseReader(pool *pgxpool.Pool, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	db.read = &replica{pool: pool, log: log, retry: readerRetry}
}

// checkReader says at start whether the replica answers and is one: a
// primary's URL given by mistake works, but spares the primary nothing.
func (db *DB) checkReader(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, readerConnectTimeout)
	defer cancel()
	var standby bool
	if err := db.read.pool.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&standby); err != nil {
		db.read.failed(err)
		return
	}
	host := db.read.pool.Config().ConnConfig.Host
	if !standby {
		db.read.log.Warn("DATABASE_READ_URL is not a replica: reads go there all the same", slog.String("host", host))
		return
	}
	db.read.log.Info("reading from a replica", slog.String("host", host))
}

// closeReader closes the read pool, if any.
func (db *DB) closeReader() {
	if db.read != nil {
		db.read.pool.Close()
	}
}

// reader is where a read that may lag goes: the replica when there is one
// and it is up, and db is not bound to a transaction (whose reads must see
// its own writes); otherwise what every other statement uses. replica
// reports which it is.
func (db *DB) reader() (q dbtx, replica bool) {
	if _, bound := db.q.(pgx.Tx); bound || db.read == nil || !db.read.up() {
		return db.q, false
	}
	return db.read.pool, true
}

// readWith runs fn, a read, on the reader; if the replica fails it, fn
// runs again on the primary. fn must start afresh each time it runs.
func (db *DB) readWith(ctx context.Context, fn func(q dbtx) error) error {
	q, onReplica := db.reader()
	err := fn(q)
	switch {
	case !onReplica:
		return err
	case err == nil:
		db.read.succeeded()
		return nil
	case ctx.Err() != nil: // the caller gave up; the primary would not help
		return err
	}
	db.read.failed(err)
	return fn(db.q)
}

// readBatch sends a read-only batch to the reader. settled runs after the
// replica has answered, with the batch's callbacks done, and says whether
// that answer may stand; when it may not (the replica may not have
// replayed what would change it), or when the replica fails, the batch is
// sent again to the primary and its callbacks run again, so they must
// overwrite what they fill, never add to it.
func (db *DB) readBatch(ctx context.Context, b *pgx.Batch, settled func() bool) error {
	q, onReplica := db.reader()
	if !onReplica {
		return q.SendBatch(ctx, b).Close()
	}
	// Sending a batch leaves each query's statement description from that
	// connection on it; the primary gets a clean copy.
	again := copyBatch(b)
	err := q.SendBatch(ctx, b).Close()
	switch {
	case err == nil:
		db.read.succeeded()
		if settled() {
			return nil
		}
	case ctx.Err() != nil:
		return err
	default:
		db.read.failed(err)
	}
	return db.q.SendBatch(ctx, again).Close()
}

// copyBatch copies the queries of b, as queued.
func copyBatch(b *pgx.Batch) *pgx.Batch {
	c := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, len(b.QueuedQueries))}
	for i, q := range b.QueuedQueries {
		c.QueuedQueries[i] = &pgx.QueuedQuery{SQL: q.SQL, Arguments: q.Arguments, Fn: q.Fn}
	}
	return c
}

// up reports whether reads may go to the replica now.
func (r *replica) up() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !time.Now().Before(r.downUntil)
}

// failed notes a read the replica could not serve. A connection error
// keeps reads off the replica for r.retry, and is logged once per outage;
// any other error (a query cancelled by a conflict with recovery, say)
// costs only that read.
func (r *replica) failed(err error) {
	if !unreachable(err) {
		r.log.Warn("read replica failed a read; read it from the primary", slog.Any("error", err))
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.downUntil = time.Now().Add(r.retry)
	if r.down {
		return
	}
	r.down = true
	r.log.Warn("read replica unreachable; reading from the primary",
		slog.String("host", r.pool.Config().ConnConfig.Host), slog.Any("error", err),
		slog.Duration("retry_in", r.retry))
}

// succeeded notes a read the replica served, ending an outage.
func (r *replica) succeeded() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.down {
		return
	}
	r.down = false
	r.log.Info("read replica reachable again; reading from it", slog.String("host", r.pool.Config().ConnConfig.Host))
}

// unreachable tells a server that is gone or going from one that refused
// a query: a failed connect, a connection lost, a shutdown in progress.
func unreachable(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	}
	// 08: connection exceptions; 57P01-57P03: the server shuts down,
	// crashed, or cannot take connections yet.
	code := pgErrorCode(err)
	return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03"
}
