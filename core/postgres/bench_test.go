package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"tracegate/core"
)

// Each benchmark runs the service beside a bare Postgres statement doing
// the same work, on the same database in the same run: the gap is what the
// service's rules and round trips cost.
//
//	go test ./core/postgres -run '^$' -bench . -benchtime 1x

const (
	benchBatch = 1_000_000
	benchRange = 100_000
)

func BenchmarkIssueBatch(b *testing.B) {
	s := newServices(b)
	p := s.newProducer(b, "HTX Bench", "0912345678")
	ctx := context.Background()
	b.Run("service", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Stamps.IssueBatch(ctx, p.facility.ID, benchBatch, false); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(benchBatch)*float64(b.N)/b.Elapsed().Seconds(), "stamps/s")
	})
	b.Run("bare-sql", func(b *testing.B) {
		// The floor: one INSERT ... SELECT of random codes made by Postgres
		// itself, no counter, no batch row, no redraw.
		batch := s.issue(b, p, 1)
		var next int64 = 10_000_000
		for b.Loop() {
			_, err := s.db.Pool.Exec(ctx, `
				INSERT INTO stamps (facility_id, serial, code, batch_id)
				SELECT $1, g, upper(substr(md5(random()::text), 1, 9)), $2
				FROM generate_series($3::bigint, $4::bigint) g
				ON CONFLICT (code) DO NOTHING`, p.facility.ID, batch.ID, next, next+benchBatch-1)
			if err != nil {
				b.Fatal(err)
			}
			next += benchBatch
		}
		b.ReportMetric(float64(benchBatch)*float64(b.N)/b.Elapsed().Seconds(), "stamps/s")
	})
}

func BenchmarkActivateRange(b *testing.B) {
	s := newServices(b)
	p := s.newProducer(b, "HTX Bench", "0912345678")
	s.issue(b, p, benchRange)
	lot := s.openLot(b, p)
	ctx := context.Background()
	reset := func(b *testing.B) {
		b.StopTimer()
		for _, sql := range []string{
			`UPDATE stamps SET state = 'issued', lot_id = NULL, activated_at = NULL WHERE facility_id = $1`,
			`UPDATE facilities SET stamps_activated = 0 WHERE id = $1`,
		} {
			if _, err := s.db.Pool.Exec(ctx, sql, p.facility.ID); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := s.db.Pool.Exec(ctx, `VACUUM stamps`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.Run("service", func(b *testing.B) {
		for b.Loop() {
			reset(b)
			res, err := s.Stamps.Activate(ctx, p.member, lot.Code, core.SerialRange{From: 1, To: benchRange})
			if err != nil || res.Activated != benchRange {
				b.Fatalf("%+v, %v", res, err)
			}
		}
	})
	b.Run("bare-sql", func(b *testing.B) {
		for b.Loop() {
			reset(b)
			tag, err := s.db.Pool.Exec(ctx, `
				UPDATE stamps SET state = 'activated', lot_id = $2, activated_at = now()
				WHERE facility_id = $1 AND serial BETWEEN 1 AND $3 AND state = 'issued'`,
				p.facility.ID, lot.ID, benchRange)
			if err != nil || tag.RowsAffected() != benchRange {
				b.Fatalf("%v, %v", tag, err)
			}
		}
	})
}

func BenchmarkLookup(b *testing.B) {
	s := newServices(b)
	p := s.newProducer(b, "HTX Bench", "0912345678")
	s.issue(b, p, benchBatch)
	lot := s.openLot(b, p)
	ctx := context.Background()
	s.activate(b, p, lot, 1, benchBatch)
	for _, step := range []core.Step{core.StepHarvest, core.StepProcess, core.StepPack} {
		if err := s.Diary.RecordEntry(ctx, p.member, &core.DiaryEntry{LotCode: lot.Code, Step: step, Channel: "sms"}); err != nil {
			b.Fatal(err)
		}
	}
	// A season of history: half the stamps already looked up once.
	if _, err := s.db.Pool.Exec(ctx, `
		INSERT INTO lookups (code, verdict, channel, urn_hash, looked_at)
		SELECT code, 'genuine', 'sms', decode(md5(random()::text), 'hex'), now() - random() * interval '90 days'
		FROM stamps WHERE serial % 2 = 0`); err != nil {
		b.Fatal(err)
	}
	if _, err := s.db.Pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	codes := sampleCodes(b, s, 10_000)
	b.Run("service", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				sender := core.URN(fmt.Sprintf("tel:+849770%05d", rand.IntN(100000)))
				pv, err := s.Lookups.Lookup(ctx, core.LookupRequest{Input: string(codes[rand.IntN(len(codes))]), Channel: "sms", Sender: sender})
				// Codes drawn again and again turn suspicious, as they should.
				if err != nil || (pv.Verdict != core.VerdictGenuine && pv.Verdict != core.VerdictSuspicious) {
					b.Errorf("%v, %v", pv, err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
	})
	b.Run("bare-sql", func(b *testing.B) {
		// The floor: find the stamp with its lot, product and facility and
		// record the lookup, in one statement.
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				var name string
				err := s.db.Pool.QueryRow(ctx, `
					WITH found AS (
						SELECT p.name FROM stamps s
						JOIN lots l ON l.id = s.lot_id JOIN products p ON p.id = l.product_id
						JOIN facilities f ON f.id = s.facility_id
						WHERE s.code = $1
					), logged AS (
						INSERT INTO lookups (code, verdict, channel, urn_hash)
						VALUES ($1, 'genuine', 'sms', '\x00')
					)
					SELECT name FROM found`, string(codes[rand.IntN(len(codes))])).Scan(&name)
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
	})
}

// sampleCodes picks n codes of activated stamps at random.
func sampleCodes(b *testing.B, s *services, n int) []core.Code {
	rows, err := s.db.Pool.Query(context.Background(),
		`SELECT code FROM stamps TABLESAMPLE SYSTEM (5) WHERE state = 'activated' LIMIT $1`, n)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var codes []core.Code
	for rows.Next() {
		var c core.Code
		if err := rows.Scan(&c); err != nil {
			b.Fatal(err)
		}
		codes = append(codes, c)
	}
	if len(codes) == 0 {
		b.Fatal("no codes sampled")
	}
	return codes
}

// BenchmarkDashboard is the agency's page over a million activated stamps
// and half a million lookups.
func BenchmarkDashboard(b *testing.B) {
	s := newServices(b)
	p := s.newProducer(b, "HTX Bench", "0912345678")
	s.issue(b, p, benchBatch)
	lot := s.openLot(b, p)
	s.activate(b, p, lot, 1, benchBatch)
	ctx := context.Background()
	if _, err := s.db.Pool.Exec(ctx, `UPDATE stamps SET activated_at = now() - random() * interval '120 days'`); err != nil {
		b.Fatal(err)
	}
	have := 0
	// A year of lookups, growing: each size is measured as it would be
	// served, its closed days rolled up by the hourly job, today live.
	for _, lookups := range []int{1_000_000, 10_000_000} {
		if _, err := s.db.Pool.Exec(ctx, `
			INSERT INTO lookups (code, verdict, channel, urn_hash, product_id, looked_at)
			SELECT s.code, 'genuine', 'sms', decode(md5(g::text), 'hex'), $4::bigint, now() - random() * interval '365 days'
			FROM generate_series(1, $1) g JOIN stamps s ON s.facility_id = $2 AND s.serial = 1 + g % $3`,
			lookups-have, p.facility.ID, benchBatch, p.product.ID); err != nil {
			b.Fatal(err)
		}
		have = lookups
		if _, err := s.db.Pool.Exec(ctx, `UPDATE rollup_marks SET upto = NULL; TRUNCATE lookup_days, activation_days`); err != nil {
			b.Fatal(err)
		}
		if _, err := s.db.Rollup(ctx, time.Now()); err != nil {
			b.Fatal(err)
		}
		if _, err := s.db.Pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("lookups=%d", lookups), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Stats.Dashboard(ctx, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
