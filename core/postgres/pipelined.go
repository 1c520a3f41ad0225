package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pipelined is InTx's transaction, sparing round trips on the path every
// message takes. It begins with its first statement, in the same round
// trip (a message's arrival carries the BEGIN). Writes that answer
// nothing (a lookup's record) wait for its next statement and travel
// with it: a lookup's record goes with its reply's insert. Every statement
// sends what waits before itself, so the transaction reads its own writes
// as if they had been sent at once, and a waiting write's error comes back
// from the statement it travelled with, or from the commit.
type pipelined struct{ *pipeline }

type pipeline struct {
	conn    *pgxpool.Conn // the connection the transaction is on
	tx      pgx.Tx        // nil until the first statement begins it
	waiting []waitingWrite
}

type waitingWrite struct {
	what string // the write, for its error
	sql  string
	args []any
}

var _ pgx.Tx = pipelined{}

func newPipelined(conn *pgxpool.Conn) pipelined { return pipelined{&pipeline{conn: conn}} }

// later makes a write wait for the next statement.
func (p pipelined) later(what, sql string, args ...any) {
	p.waiting = append(p.waiting, waitingWrite{what, sql, args})
}

// batch is what must go before the next statement: the BEGIN if the
// transaction has not begun, and the writes that wait; nil when nothing.
func (p pipelined) batch() *pgx.Batch {
	if p.tx != nil && len(p.waiting) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	if p.tx == nil {
		b.BeginTx(pgx.TxOptions{})
	}
	for _, w := range p.waiting {
		b.Queue(w.sql, w.args...).Fn = func(br pgx.BatchResults) error {
			if _, err := br.Exec(); err != nil {
				return fmt.Errorf("%s: %w", w.what, err)
			}
			return nil
		}
	}
	p.waiting = p.waiting[:0]
	return b
}

// send sends b, on the transaction, or beginning it.
func (p pipelined) send(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if p.tx != nil {
		return p.tx.SendBatch(ctx, b)
	}
	br := p.conn.SendBatch(ctx, b)
	p.tx = br.Tx()
	return br
}

// flush sends what must go first on its own: before a statement that
// cannot carry it, and before the commit.
func (p pipelined) flush(ctx context.Context) error {
	if b := p.batch(); b != nil {
		return p.send(ctx, b).Close()
	}
	return nil
}

func (p pipelined) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	b := p.batch()
	if b == nil {
		return p.tx.Exec(ctx, sql, args...)
	}
	var tag pgconn.CommandTag
	b.Queue(sql, args...).Exec(func(ct pgconn.CommandTag) error { tag = ct; return nil })
	return tag, p.send(ctx, b).Close()
}

func (p pipelined) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	b := p.batch()
	if b == nil {
		return p.tx.QueryRow(ctx, sql, args...)
	}
	return batchRow{ctx: ctx, p: p, b: b, sql: sql, args: args}
}

// batchRow is a row read after what had to go first, sent with it when
// the row is scanned.
type batchRow struct {
	ctx  context.Context
	p    pipelined
	b    *pgx.Batch
	sql  string
	args []any
}

func (r batchRow) Scan(dest ...any) error {
	r.b.Queue(r.sql, r.args...).QueryRow(func(row pgx.Row) error { return row.Scan(dest...) })
	return r.p.send(r.ctx, r.b).Close()
}

// SendBatch carries what must go first in the same round trip, with
// callbacks: every batch here reads its results through its own.
func (p pipelined) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	first := p.batch()
	if first == nil {
		return p.tx.SendBatch(ctx, b)
	}
	first.QueuedQueries = append(first.QueuedQueries, b.QueuedQueries...)
	return p.send(ctx, first)
}

func (p pipelined) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.tx.Query(ctx, sql, args...)
}

func (p pipelined) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, rows pgx.CopyFromSource) (int64, error) {
	if err := p.flush(ctx); err != nil {
		return 0, err
	}
	return p.tx.CopyFrom(ctx, table, columns, rows)
}

// Begin starts a savepoint once what waits is sent, so a rollback to it
// cannot undo a write made before it.
func (p pipelined) Begin(ctx context.Context) (pgx.Tx, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.tx.Begin(ctx)
}

// Commit sends what waits and commits; a transaction that never began
// has nothing to commit.
func (p pipelined) Commit(ctx context.Context) error {
	if p.tx == nil && len(p.waiting) == 0 {
		return nil
	}
	if err := p.flush(ctx); err != nil {
		return err
	}
	return p.tx.Commit(ctx)
}

func (p pipelined) Rollback(ctx context.Context) error {
	p.waiting = nil
	if p.tx == nil {
		return nil
	}
	return p.tx.Rollback(ctx)
}

func (p pipelined) LargeObjects() pgx.LargeObjects {
	if err := p.flush(context.Background()); err != nil {
		return pgx.LargeObjects{}
	}
	return p.tx.LargeObjects()
}

func (p pipelined) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.tx.Prepare(ctx, name, sql)
}

func (p pipelined) Conn() *pgx.Conn { return p.conn.Conn() }
