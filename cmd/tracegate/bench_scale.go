package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/bots/sms/twiliotest"
	"tracegate/core"
	"tracegate/core/postgres"
)

// benchRow is one figure of the table beside the bare work it stands on.
type benchRow struct {
	Scale        int
	What, BareIs string
	Ours, Bare   float64 // in the unit What names
	Time         bool    // a time, where less is faster (else a rate)
	Note         string
}

// ratio is how fast ours is next to the bare work: above 1 is faster.
func (r benchRow) ratio() float64 {
	if r.Ours == 0 || r.Bare == 0 {
		return 0
	}
	if r.Time {
		return r.Bare / r.Ours
	}
	return r.Ours / r.Bare
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// benchScale measures one scale on a database of its own, dropped after.
func benchScale(ctx context.Context, server *pgServer, tpcb *pgbench, plan benchPlan, scale int) ([]benchRow, error) {
	name := fmt.Sprintf("bench_%d", scale)
	url, err := server.fresh(ctx, name)
	if err != nil {
		return nil, err
	}
	if !plan.Keep {
		defer server.drop(context.WithoutCancel(ctx), name)
	}
	db, err := openDB(ctx, url, postgres.Direct, discardLog)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	fmt.Fprintf(plan.Progress, "bench: %d stamps and as many lookups, generating\n", scale)
	var w *benchWorld
	gen, err := timed(func() (err error) { w, err = generate(ctx, db, scale); return err })
	if err != nil {
		return nil, err
	}
	w.url = url
	fmt.Fprintf(plan.Progress, "bench: %d generated in %s, measuring\n", scale, gen.Round(time.Second))
	var rows []benchRow
	add := func(r benchRow) { r.Scale = scale; rows = append(rows, r) }
	if err := benchLookups(ctx, w, tpcb, plan, add); err != nil {
		return rows, err
	}
	if err := benchStamps(ctx, w, plan, add); err != nil {
		return rows, err
	}
	if err := benchDashboard(ctx, w, add); err != nil {
		return rows, err
	}
	return rows, benchStorage(ctx, w, add)
}

// benchStorage is what each stamp, lookup and message takes on disk,
// with its indexes (and a partitioned table's partitions): the figures
// sizing rests on.
func benchStorage(ctx context.Context, w *benchWorld, add func(benchRow)) error {
	for _, t := range []struct{ what, tables string }{
		{"stamps", "stamps"},
		{"lookups", "lookups"},
		{"messages", "messages, inbound_keys, outbound_keys"},
	} {
		var bytes, rows float64
		err := w.db.Pool.QueryRow(ctx, `
			SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::float8,
			       (SELECT count(*) FROM `+t.what+`)::float8
			FROM pg_class c
			WHERE c.relkind = 'r' AND (c.relname = ANY(string_to_array($1, ', '))
			    OR c.oid IN (SELECT inhrelid FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
			                 WHERE p.relname = ANY(string_to_array($1, ', '))))`, t.tables).Scan(&bytes, &rows)
		if err != nil {
			return fmt.Errorf("size of %s: %w", t.what, err)
		}
		if rows > 0 {
			add(benchRow{What: fmt.Sprintf("disk per row of %s, bytes", t.what), Ours: bytes / rows,
				Note: fmt.Sprintf("%s with indexes, %.0f rows", t.tables, rows)})
		}
	}
	return nil
}

// benchLookups: the webhook, and lookups end to end, beside TPC-B, and
// the service beside its bare statement.
func benchLookups(ctx context.Context, w *benchWorld, tpcb *pgbench, plan benchPlan, add func(benchRow)) error {
	caveat, err := durability(ctx, w, tpcb, plan)
	if err != nil {
		return err
	}
	g, err := startBenchGateway(ctx, w.db, w.url, twiliotest.New(soakAccount), nil)
	if err != nil {
		return err
	}
	full, half, each, err := webhookLoads(g, w.codes, plan)
	g.stop()
	if err != nil {
		return err
	}
	tps, tpcbEach, err := tpcb.run(ctx)
	if err != nil {
		return err
	}
	e2e, err := benchEndToEnd(ctx, w, plan)
	if err != nil {
		return err
	}
	add(benchRow{What: fmt.Sprintf("SMS lookups through the Twilio webhook, %d in flight, /s", plan.Clients),
		BareIs: "pgbench TPC-B, same clients, tps", Ours: full.rate(), Bare: tps,
		Note: caveat + fmt.Sprintf("p50 %.1f ms, p99 %.1f ms; a lookup: %s; a TPC-B transaction: %s", ms(full.P50), ms(full.P99), each, tpcbEach)})
	add(benchRow{What: fmt.Sprintf("the same at half that rate (%.0f/s), p99 ms", half.rate()), Ours: ms(half.P99), Time: true,
		Note: fmt.Sprintf("p50 %.1f ms", ms(half.P50))})
	add(e2eRow(e2e, plan, tps, caveat))
	service, bare := serviceLoads(ctx, w, plan)
	add(benchRow{What: "lookup service, /s", BareIs: "one statement: find the stamp, record the lookup", Ours: service.rate(), Bare: bare.rate(),
		Note: fmt.Sprintf("p99 %.1f ms vs %.1f ms", ms(service.P99), ms(bare.P99))})
	return nil
}

// benchStamps: issuing a batch beside a bare COPY of as many rows, and
// activating a range beside the bare UPDATE.
func benchStamps(ctx context.Context, w *benchWorld, plan benchPlan, add func(benchRow)) error {
	p := w.producers[0]
	// The bare COPY first: it cannot redraw a code that collides, and its
	// codes never collide with the generated ones; issuing's random codes
	// redraw whatever they meet.
	copied, err := timed(func() error { return w.copyStamps(ctx, p.facility.ID, plan.Issue) })
	if err != nil {
		return err
	}
	var batch *core.StampBatch
	issue, err := timed(func() (err error) {
		batch, err = w.s.Stamps.IssueBatch(ctx, p.facility.ID, plan.Issue, false)
		return err
	})
	if err != nil {
		return err
	}
	add(benchRow{What: fmt.Sprintf("issue %d stamps, ms", plan.Issue), BareIs: "COPY as many rows into stamps",
		Ours: ms(issue), Bare: ms(copied), Time: true})
	lot, err := w.s.Lots.OpenLot(ctx, &p.member, p.product.Code, "")
	if err != nil {
		return err
	}
	first := core.SerialRange{From: batch.FirstSerial, To: batch.FirstSerial + int64(plan.Activate) - 1}
	activate, err := timed(func() error { _, err := w.s.Stamps.Activate(ctx, &p.member, lot.Code, first); return err })
	if err != nil {
		return err
	}
	updated, err := timed(func() error {
		_, err := w.db.Pool.Exec(ctx, `
			UPDATE stamps SET state = 'activated', lot_id = $2, activated_at = now()
			WHERE facility_id = $1 AND serial BETWEEN $3 AND $4 AND state = 'issued'`,
			p.facility.ID, lot.ID, first.To+1, first.To+int64(plan.Activate))
		return err
	})
	if err != nil {
		return err
	}
	add(benchRow{What: fmt.Sprintf("activate %d stamps, ms", plan.Activate), BareIs: "one UPDATE of as many rows",
		Ours: ms(activate), Bare: ms(updated), Time: true})
	return nil
}

// copyStamps is the floor of issuing: a batch row and COPY of n rows
// with codes made here, no counter, no redraw.
func (w *benchWorld) copyStamps(ctx context.Context, facility int64, n int) error {
	var batch, from int64
	err := w.db.Pool.QueryRow(ctx, `
		WITH f AS (UPDATE facilities SET last_serial = last_serial + $2 WHERE id = $1 RETURNING last_serial - $2 + 1 AS first)
		INSERT INTO stamp_batches (facility_id, first_serial, count) SELECT $1, first, $2 FROM f RETURNING id, first_serial`,
		facility, n).Scan(&batch, &from)
	if err != nil {
		return err
	}
	i := 0
	_, err = w.db.Pool.CopyFrom(ctx, pgx.Identifier{"stamps"}, []string{"facility_id", "serial", "code", "batch_id"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			serial := from + int64(i)
			i++
			return []any{facility, serial, string(benchCode(facility+200, int(serial))), batch}, nil
		}))
	return err
}

// benchDashboard: the agency's page, read from the rollups, beside the
// bare count of 30 days of lookups it would otherwise stand on.
func benchDashboard(ctx context.Context, w *benchWorld, add func(benchRow)) error {
	// As the gateway's rollup job, every 10 s, would have.
	if _, err := w.db.Rollup(ctx, time.Now()); err != nil {
		return err
	}
	dash, err := median(5, func() error { _, err := w.s.Stats.Dashboard(ctx, time.Now()); return err })
	if err != nil {
		return err
	}
	count, err := median(5, func() error {
		var n int64
		return w.db.Pool.QueryRow(ctx, `SELECT count(*) FROM lookups WHERE looked_at > now() - interval '30 days'`).Scan(&n)
	})
	if err != nil {
		return err
	}
	add(benchRow{What: "dashboard, ms (median of 5)", BareIs: "count 30 days of lookups", Ours: ms(dash), Bare: ms(count), Time: true})
	return nil
}

// printBench writes the table: each figure, the bare work beside it and
// their ratio (above 1: ours is faster).
func printBench(out io.Writer, rows []benchRow) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "stamps\tmeasure\ttracegate\tbare Postgres\tbare is\tratio\tnote")
	for _, r := range rows {
		bare, ratio := "-", "-"
		if r.Bare > 0 {
			bare, ratio = fmt.Sprintf("%.1f", r.Bare), fmt.Sprintf("%.2f", r.ratio())
		}
		fmt.Fprintf(tw, "%d\t%s\t%.1f\t%s\t%s\t%s\t%s\n", r.Scale, r.What, r.Ours, bare, r.BareIs, ratio, r.Note)
	}
	tw.Flush()
}
