package postgres_test

import (
	"context"

	"reflect"
	"sync"
	"testing"
	"time"
	"tracegate/core"
)

// The dashboard reads the same figures from its rollups as from the raw
// rows: before any rollup, after two run at once by two processes, and
// with the day's lookups that came since.
func TestDashboardRollups(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	p := s.newProducer(t, "HTX A", "0912345678")
	s.issue(t, p, 400)
	lot := s.openLot(t, p)
	s.activate(t, p, lot, 1, 400)
	// 40 days of lookups and activations, some of them a few minutes after
	// a Vietnamese midnight, where a day's edge would show.
	for _, sql := range []string{
		`UPDATE stamps SET activated_at = now() - (serial % 80) * interval '1 day'`,
		`INSERT INTO lookups (code, verdict, channel, urn_hash, product_id, looked_at)
		 SELECT code, 'genuine', 'sms', decode(md5(serial::text || g::text), 'hex'), (SELECT product_id FROM lots WHERE id = lot_id),
		        date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh'
		        - (serial % 40) * interval '1 day' + (g % 3) * interval '7 minutes'
		 FROM stamps, generate_series(1, 3) g`,
	} {
		if _, err := s.db.Pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	s.look(t, "000000000", "tel:+84977000009", "") // an unknown code is flagged as it is looked up
	now := time.Now()
	raw, err := s.Stats.Dashboard(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	// Two gateway processes' housekeeping at once.
	processes := []*services{s, s.process(t)}
	var wg sync.WaitGroup
	var rolled [2]int
	for i := range rolled {
		wg.Go(func() {
			n, err := processes[i].db.Rollup(ctx, now)
			if err != nil {
				t.Error(err)
			}
			rolled[i] = n
		})
	}
	wg.Wait()
	// Every day of lookups (by product) and of activations added to
	// once, between the two.
	var want int
	s.db.Pool.QueryRow(ctx, `
		SELECT (SELECT count(DISTINCT ((looked_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, coalesce(product_id, 0))) FROM lookups)
		     + (SELECT count(DISTINCT (activated_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) FROM stamps)`).Scan(&want)
	if rolled[0]+rolled[1] != want {
		t.Fatalf("rolled up %v day rows, want %d in all", rolled, want)
	}
	if n, _ := s.db.Rollup(ctx, now); n != 0 {
		t.Fatalf("a second rollup added to %d more days", n)
	}
	var inRollup int64
	s.db.Pool.QueryRow(ctx, `SELECT sum(n) FROM lookup_days`).Scan(&inRollup)
	if inRollup == 0 {
		t.Fatal("nothing was rolled up")
	}
	rolledUp, err := s.Stats.Dashboard(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	for name, pair := range map[string][2]any{
		"lookups per day":      {raw.LookupsPerDay, rolledUp.LookupsPerDay},
		"activations per week": {raw.ActivationsPerWeek, rolledUp.ActivationsPerWeek},
		"top products":         {raw.TopProducts, rolledUp.TopProducts},
		"totals":               {raw.Stats, rolledUp.Stats},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s: raw %+v, rolled up %+v", name, pair[0], pair[1])
		}
	}
	if raw.Stats.Lookups != 400*3+1 || raw.Stats.UnknownCodes != 1 || len(raw.TopProducts) != 1 || raw.TopProducts[0].N < 200 {
		t.Fatalf("totals %+v", raw.Stats)
	}
	// Today's lookups are counted live, beside the rollup.
	s.look(t, s.codeOf(t, p, 1), "tel:+84977000001", "")
	after, _ := s.Stats.Dashboard(ctx, now)
	if after.Stats.Lookups != raw.Stats.Lookups+1 || sum(after.LookupsPerDay) != sum(raw.LookupsPerDay)+1 {
		t.Fatalf("a lookup after the rollup: %d lookups", after.Stats.Lookups)
	}
}

func sum(counts []core.Count) int64 {
	var n int64
	for _, c := range counts {
		n += c.N
	}
	return n
}
