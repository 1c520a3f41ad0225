package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// A channel's send_slots row holds the next moment it may send; a row per
// person (key channel:urn) holds theirs when the channel paces each chat.

// ClaimTurns gives turns to the best queued messages of a channel and
// claims them for the process whose workers will send them. The channel's
// row is locked for it, so processes take turns at it and the pace holds
// across all of them. A turn is only ever given to a message that is
// there to use it, and no more than the process asked for (its workers
// and a few ahead of them): no capacity is booked and then left empty,
// and the turns given never outrun the workers that send them. A turn a
// quarter of an hour old whose message is still queued was lost (its
// process neither sent it nor died): the message is in line again.
func (s *MessageService) ClaimTurns(ctx context.Context, c core.TurnClaim) ([]core.Turn, time.Time, error) {
	var turns []core.Turn
	var next time.Time
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		turns, next, err = claimTurns(ctx, tx, c)
		return err
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("claim turns on %s: %w", c.Channel, err)
	}
	return turns, next, nil
}

type candidate struct {
	id  int64
	urn core.URN
}

func claimTurns(ctx context.Context, tx pgx.Tx, c core.TurnClaim) ([]core.Turn, time.Time, error) {
	channel, process, pace, horizon, max := c.Channel, c.Process, c.Pace, c.Horizon, c.Max
	// Every process waits for the channel's row, briefly: each claims for
	// its own workers, so one cannot leave the work to another.
	lock := func() (free, now time.Time, err error) {
		err = tx.QueryRow(ctx, `
			SELECT greatest(next_at, now() + make_interval(secs => $2)), now() FROM send_slots WHERE key = $1 FOR UPDATE`,
			channel, c.Lead.Seconds()).Scan(&free, &now)
		return free, now, err
	}
	free, now, err := lock()
	if errors.Is(err, pgx.ErrNoRows) {
		if _, err = tx.Exec(ctx, `INSERT INTO send_slots (key, next_at) VALUES ($1, now()) ON CONFLICT DO NOTHING`, channel); err == nil {
			free, now, err = lock()
		}
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	end := now.Add(horizon)
	if free.After(end) {
		return nil, free.Add(-horizon), nil
	}
	n := max
	if pace.Every > 0 {
		n = min(max, int(end.Sub(free)/pace.Every)+1)
	}
	chatPrefix := ""
	if pace.PerChat > 0 {
		chatPrefix = channel + ":"
	}
	limit := 2*n + 10
	rows, err := tx.Query(ctx, `
		SELECT m.id, m.urn FROM messages m
		WHERE m.channel = $1 AND m.status = 'queued'
			AND (m.slot_at IS NULL OR m.slot_at < now() - interval '15 minutes')
			AND (m.not_before IS NULL OR m.not_before <= now())
			AND ($3 = '' OR NOT EXISTS (
				SELECT 1 FROM send_slots c WHERE c.key = $3 || m.urn AND c.next_at > $4))
		ORDER BY m.priority, m.id LIMIT $2`, channel, limit, chatPrefix, end)
	if err != nil {
		return nil, time.Time{}, err
	}
	cands, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (candidate, error) {
		var c candidate
		return c, row.Scan(&c.id, &c.urn)
	})
	if err != nil || len(cands) == 0 {
		return nil, time.Time{}, err
	}
	chatFree, err := lockChats(ctx, tx, chatPrefix, cands)
	if err != nil {
		return nil, time.Time{}, err
	}
	slots, t, left := turns(cands, chatFree, free, end, n, pace)
	claimed, err := saveTurns(ctx, tx, channel, process, chatPrefix, slots, t, chatFree)
	if err != nil {
		return nil, time.Time{}, err
	}
	var next time.Time
	switch {
	case !left.IsZero():
		next = left.Add(-horizon)
	case len(cands) == limit:
		next = t.Add(-horizon)
	}
	return claimed, next, nil
}

// slot is a turn before it is claimed.
type slot struct {
	id int64
	at time.Time
}

// lockChats reads, and locks, the next free moment of each candidate's
// chat; none when the channel does not pace chats.
func lockChats(ctx context.Context, tx pgx.Tx, prefix string, cands []candidate) (map[core.URN]time.Time, error) {
	free := map[core.URN]time.Time{}
	if prefix == "" {
		return free, nil
	}
	keys := make([]string, len(cands))
	for i, c := range cands {
		keys[i] = prefix + string(c.urn)
	}
	rows, err := tx.Query(ctx, `
		SELECT substr(key, length($2) + 1), next_at FROM send_slots WHERE key = ANY($1) ORDER BY key FOR UPDATE`, keys, prefix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var urn core.URN
		var at time.Time
		if err := rows.Scan(&urn, &at); err != nil {
			return nil, err
		}
		free[urn] = at
	}
	return free, rows.Err()
}

// turns hands the channel's moments from free on, one per pace, each to
// the best candidate whose chat is free by then. It returns the turns,
// the channel's next free moment, and when the best candidate left over
// could go (zero when none is left).
func turns(cands []candidate, chatFree map[core.URN]time.Time, free, end time.Time, n int, pace core.Pace) ([]slot, time.Time, time.Time) {
	var slots []slot
	given := make([]bool, len(cands))
	t := free
	for len(slots) < n && !t.After(end) {
		picked := -1
		for i, c := range cands {
			if !given[i] && !chatFree[c.urn].After(t) {
				picked = i
				break
			}
		}
		if picked < 0 {
			// Every chat left is busy at t: the channel's next turn is when
			// the first of them is free, if that is within the horizon.
			free, ok := firstFree(cands, given, chatFree)
			if !ok || free.After(end) {
				break
			}
			t = free
			continue
		}
		given[picked] = true
		// The database keeps microseconds; the job compares its turn with it.
		slots = append(slots, slot{id: cands[picked].id, at: t.Truncate(time.Microsecond)})
		if pace.PerChat > 0 {
			chatFree[cands[picked].urn] = t.Add(pace.PerChat)
		}
		t = t.Add(pace.Every)
	}
	var left time.Time
	if free, ok := firstFree(cands, given, chatFree); ok {
		left = free
		if left.Before(t) {
			left = t
		}
	}
	return slots, t, left
}

// firstFree is when the first candidate not given a turn has its chat
// free (zero for a chat never paced); ok is false when every candidate
// has a turn.
func firstFree(cands []candidate, given []bool, chatFree map[core.URN]time.Time) (first time.Time, ok bool) {
	for i, c := range cands {
		if given[i] {
			continue
		}
		if at := chatFree[c.urn]; !ok || at.Before(first) {
			first, ok = at, true
		}
	}
	return first, ok
}

// saveTurns writes the turns on their messages, claimed by process, and
// moves the channel's and the chats' next free moments past them. It
// returns the turns with what sending them needs.
func saveTurns(ctx context.Context, tx pgx.Tx, channel, process, chatPrefix string, slots []slot, next time.Time, chatFree map[core.URN]time.Time) ([]core.Turn, error) {
	if len(slots) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(slots))
	ats := make([]time.Time, len(slots))
	for i, s := range slots {
		ids[i], ats[i] = s.id, s.at
	}
	rows, err := tx.Query(ctx, `
		UPDATE messages m SET slot_at = v.at, claimed_by = $3, updated_at = now()
		FROM unnest($1::bigint[], $2::timestamptz[]) AS v (id, at) WHERE m.id = v.id
		RETURNING v.at, m.id, m.kind, m.channel, m.urn, m.text, m.meta, coalesce(m.segments, 0), m.attempts,
			m.kind = 'notice' AND EXISTS (SELECT 1 FROM contacts c WHERE c.urn = m.urn AND c.stopped_at IS NOT NULL)`, ids, ats, process)
	if err != nil {
		return nil, err
	}
	claimed, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (core.Turn, error) {
		var t core.Turn
		err := row.Scan(&t.At, &t.ID, &t.Kind, &t.Channel, &t.URN, &t.Text, &t.Meta, &t.Segments, &t.Attempts, &t.Stopped)
		t.Direction, t.Status = "out", core.StatusQueued
		return t, err
	})
	if err != nil {
		return nil, err
	}
	// In the order given, best first: RETURNING keeps no order.
	order := make(map[int64]int, len(slots))
	for i, s := range slots {
		order[s.id] = i
	}
	slices.SortFunc(claimed, func(a, b core.Turn) int { return order[a.ID] - order[b.ID] })
	if _, err := tx.Exec(ctx, `UPDATE send_slots SET next_at = $2 WHERE key = $1`, channel, next); err != nil {
		return nil, err
	}
	if chatPrefix == "" {
		return claimed, nil
	}
	var keys []string
	var frees []time.Time
	for urn, at := range chatFree {
		keys, frees = append(keys, chatPrefix+string(urn)), append(frees, at)
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO send_slots (key, next_at) SELECT * FROM unnest($1::text[], $2::timestamptz[])
		ON CONFLICT (key) DO UPDATE SET next_at = greatest(send_slots.next_at, excluded.next_at)`, keys, frees)
	return claimed, err
}

// Queued counts the outbound messages not sent yet on the given channels
// (on every channel when channels is nil), and the age of the oldest.
func (db *DB) Queued(ctx context.Context, channels []string) ([]core.Queued, error) {
	rows, err := db.q.Query(ctx, `
		SELECT channel, count(*), extract(epoch FROM now() - min(created_at))::float8
		FROM messages WHERE status = 'queued' AND ($1::text[] IS NULL OR channel = ANY($1))
		GROUP BY channel`, channels)
	if err != nil {
		return nil, fmt.Errorf("queued messages: %w", err)
	}
	defer rows.Close()
	var out []core.Queued
	for rows.Next() {
		var q core.Queued
		var secs float64
		if err := rows.Scan(&q.Channel, &q.Depth, &secs); err != nil {
			return nil, fmt.Errorf("queued messages: %w", err)
		}
		q.Oldest = time.Duration(secs * float64(time.Second))
		out = append(out, q)
	}
	return out, rows.Err()
}

// OutboundByStatus counts a channel's outbound messages by status: the
// soak's and the bench's view of what was delivered.
func (db *DB) OutboundByStatus(ctx context.Context, channel string) (map[string]int, error) {
	rows, err := db.q.Query(ctx, `SELECT status, count(*) FROM messages WHERE direction = 'out' AND channel = $1 GROUP BY status`, channel)
	if err != nil {
		return nil, fmt.Errorf("outbound on %s by status: %w", channel, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, fmt.Errorf("outbound on %s by status: %w", channel, err)
		}
		out[status] = n
	}
	return out, rows.Err()
}
