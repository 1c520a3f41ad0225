package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pipelined is a transaction whose writes that answer nothing (a lookup's
// record) wait for its next statement and travel with it, in one round
// trip: a lookup's record goes with its reply's insert. Every statement
// sends what waits before itself, so the transaction reads its own writes
// as if they had been sent at once, and a waiting write's error comes back
// from the statement it travelled with, or from the commit.
type pipelined struct {
	pgx.Tx
	waiting *[]waitingWrite
}

type waitingWrite struct {
	what string // the write, for its error
	sql  string
	args []any
}

func newPipelined(tx pgx.Tx) pipelined { return pipelined{Tx: tx, waiting: &[]waitingWrite{}} }

// later makes a write wait for the next statement.
func (p pipelined) later(what, sql string, args ...any) {
	*p.waiting = append(*p.waiting, waitingWrite{what, sql, args})
}

// takeWaiting is a batch of what waits, emptied; nil when nothing does.
func (p pipelined) takeWaiting() *pgx.Batch {
	if len(*p.waiting) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, w := range *p.waiting {
		b.Queue(w.sql, w.args...).Fn = func(br pgx.BatchResults) error {
			if _, err := br.Exec(); err != nil {
				return fmt.Errorf("%s: %w", w.what, err)
			}
			return nil
		}
	}
	*p.waiting = (*p.waiting)[:0]
	return b
}

// flush sends what waits on its own: before a statement that cannot
// carry it, and before the commit.
func (p pipelined) flush(ctx context.Context) error {
	if b := p.takeWaiting(); b != nil {
		return p.Tx.SendBatch(ctx, b).Close()
	}
	return nil
}

func (p pipelined) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	b := p.takeWaiting()
	if b == nil {
		return p.Tx.Exec(ctx, sql, args...)
	}
	var tag pgconn.CommandTag
	b.Queue(sql, args...).Exec(func(ct pgconn.CommandTag) error { tag = ct; return nil })
	return tag, p.Tx.SendBatch(ctx, b).Close()
}

func (p pipelined) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	b := p.takeWaiting()
	if b == nil {
		return p.Tx.QueryRow(ctx, sql, args...)
	}
	return batchRow{ctx: ctx, tx: p.Tx, b: b, sql: sql, args: args}
}

// batchRow is a row read after the writes that waited for it, sent with
// them when it is scanned.
type batchRow struct {
	ctx  context.Context
	tx   pgx.Tx
	b    *pgx.Batch
	sql  string
	args []any
}

func (r batchRow) Scan(dest ...any) error {
	r.b.Queue(r.sql, r.args...).QueryRow(func(row pgx.Row) error { return row.Scan(dest...) })
	return r.tx.SendBatch(r.ctx, r.b).Close()
}

func (p pipelined) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.Tx.Query(ctx, sql, args...)
}

func (p pipelined) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if err := p.flush(ctx); err != nil {
		return errBatch{err}
	}
	return p.Tx.SendBatch(ctx, b)
}

func (p pipelined) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, rows pgx.CopyFromSource) (int64, error) {
	if err := p.flush(ctx); err != nil {
		return 0, err
	}
	return p.Tx.CopyFrom(ctx, table, columns, rows)
}

// Begin starts a savepoint once what waits is sent, so a rollback to it
// cannot undo a write made before it.
func (p pipelined) Begin(ctx context.Context) (pgx.Tx, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.Tx.Begin(ctx)
}

// errBatch is a batch that failed before it was sent.
type errBatch struct{ err error }

func (e errBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, e.err }
func (e errBatch) Query() (pgx.Rows, error)         { return nil, e.err }
func (e errBatch) QueryRow() pgx.Row                { return errRow{e.err} }
func (e errBatch) Close() error                     { return e.err }
func (e errBatch) Tx() pgx.Tx                       { return nil }

type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }
