package postgres_test

import (
	"context"
	"testing"

	"tracegate/core"
)

func TestIssueBatch(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")

	first := s.issue(t, a, 1000)
	second := s.issue(t, a, 100)
	other := s.issue(t, b, 10)
	if first.FirstSerial != 1 || first.LastSerial != 1000 || second.FirstSerial != 1001 || second.LastSerial != 1100 {
		t.Fatalf("serials %d-%d then %d-%d", first.FirstSerial, first.LastSerial, second.FirstSerial, second.LastSerial)
	}
	if other.FirstSerial != 1 {
		t.Fatalf("serials are per facility, B starts at %d", other.FirstSerial)
	}

	var n int
	err := s.Stamps.EachStampOfBatch(ctx, second.ID, func(st core.Stamp) error {
		if st.Serial != second.FirstSerial+int64(n) {
			t.Fatalf("stamp %d has serial %d", n, st.Serial)
		}
		if parsed, err := core.ParseCode(string(st.Code)); err != nil || parsed != st.Code {
			t.Fatalf("serial %d has code %q: %v", st.Serial, st.Code, err)
		}
		n++
		return nil
	})
	if err != nil || n != 100 {
		t.Fatalf("batch listed %d stamps, %v", n, err)
	}
	if got := s.count(t, `SELECT count(DISTINCT code) FROM stamps`); got != 1110 {
		t.Fatalf("%d distinct codes for 1110 stamps", got)
	}

	before := s.count(t, `SELECT count(*) FROM stamps`)
	for _, tc := range []struct {
		facility int64
		count    int
		want     core.ErrorCode
	}{{a.facility.ID, 0, core.EINVALID}, {a.facility.ID, core.MaxBatch + 1, core.EINVALID}, {999999, 10, core.ENOTFOUND}} {
		_, err := s.Stamps.IssueBatch(ctx, tc.facility, tc.count, false)
		wantCode(t, err, tc.want)
	}
	if s.count(t, `SELECT count(*) FROM stamps`) != before || s.count(t, `SELECT last_serial FROM facilities WHERE id = $1`, a.facility.ID) != 1100 {
		t.Fatal("a refused batch changed something")
	}
	_, err = s.Stamps.FindBatchByID(ctx, 999999)
	wantCode(t, err, core.ENOTFOUND)
}

// A code already taken is redrawn rather than failing the batch. Random
// codes almost never collide, so a trigger forces one collision.
func TestIssueBatchRedrawsTakenCodes(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	s.issue(t, a, 5)
	// Serial 6 gets serial 1's code, once.
	taken := s.codeOf(t, a, 1)
	_, err := s.db.Pool.Exec(ctx, `
		CREATE FUNCTION collide() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.serial = 6 AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'collided') THEN
				NEW.code := '`+string(taken)+`';
				INSERT INTO settings VALUES ('collided', 'yes');
			END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER collide BEFORE INSERT ON stamps FOR EACH ROW EXECUTE FUNCTION collide();`)
	if err != nil {
		t.Fatal(err)
	}
	b := s.issue(t, a, 10)
	if b.FirstSerial != 6 || s.count(t, `SELECT count(*) FROM stamps WHERE batch_id = $1`, b.ID) != 10 {
		t.Fatal("the batch lost a stamp to a collision")
	}
	if s.count(t, `SELECT count(*) FROM settings WHERE key = 'collided'`) != 1 {
		t.Fatal("the collision was never forced")
	}
	if s.codeOf(t, a, 6) == taken {
		t.Fatal("serial 6 shares a code")
	}
}

func TestActivate(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")
	s.issue(t, a, 100)
	s.issue(t, b, 100)
	l1, l2 := s.openLot(t, a), s.openLot(t, a)
	s.openLot(t, b)

	steps := []struct {
		name  string
		actor *core.Member
		lot   string
		from  int64
		to    int64
		want  core.ActivationResult
		err   core.ErrorCode
	}{
		{"first range", a.member, l1.Code, 1, 10, core.ActivationResult{Activated: 10}, ""},
		{"again: idempotent", a.member, l1.Code, 1, 10, core.ActivationResult{Already: 10}, ""},
		{"overlap", a.member, l1.Code, 5, 20, core.ActivationResult{Activated: 10, Already: 6}, ""},
		{"onto another lot", a.member, l2.Code, 15, 30, core.ActivationResult{Activated: 10, OtherLot: 6}, ""},
		{"past the end", a.member, l2.Code, 95, 105, core.ActivationResult{Activated: 6, Missing: 5}, ""},
		{"single serial", a.member, l2.Code, 50, 50, core.ActivationResult{Activated: 1}, ""},
		{"unknown lot", a.member, "L9", 40, 41, core.ActivationResult{}, core.ENOTFOUND},
		{"backwards", a.member, l1.Code, 10, 5, core.ActivationResult{}, core.EINVALID},
		{"serial zero", a.member, l1.Code, 0, 5, core.ActivationResult{}, core.EINVALID},
		{"too long", a.member, l1.Code, 1, core.MaxRange + 1, core.ActivationResult{}, core.EINVALID},
		// B's L1 with serials 1-10: B's own stamps, never A's.
		{"B activates its own", b.member, "L1", 1, 10, core.ActivationResult{Activated: 10}, ""},
		// B names A's L2: B has no L2.
		{"B names A's lot", b.member, "L2", 11, 20, core.ActivationResult{}, core.ENOTFOUND},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := s.count(t, `SELECT count(*) FROM stamps WHERE state = 'activated'`)
			got, err := s.Stamps.Activate(ctx, st.actor, st.lot, core.SerialRange{From: st.from, To: st.to})
			wantCode(t, err, st.err)
			if st.err != "" {
				if s.count(t, `SELECT count(*) FROM stamps WHERE state = 'activated'`) != before {
					t.Fatal("a refused activation changed stamps")
				}
				return
			}
			got.Lot = nil
			if *got != st.want {
				t.Fatalf("got %+v, want %+v", *got, st.want)
			}
		})
	}
	if n := s.count(t, `SELECT count(*) FROM stamps WHERE facility_id = $1 AND lot_id = $2`, a.facility.ID, l1.ID); n != 20 {
		t.Fatalf("L1 holds %d stamps, want 20", n)
	}
	assertCounters(t, s)
}

func TestVoid(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")
	s.issue(t, a, 20)
	s.issue(t, b, 20)
	lot := s.openLot(t, a)
	s.activate(t, a, lot, 1, 5)

	got, err := s.Stamps.Void(ctx, a.member, core.SerialRange{From: 3, To: 8})
	if err != nil || *got != (core.VoidResult{Voided: 6}) {
		t.Fatalf("void = %+v, %v", got, err)
	}
	got, err = s.Stamps.Void(ctx, a.member, core.SerialRange{From: 8, To: 25})
	if err != nil || *got != (core.VoidResult{Voided: 12, Already: 1, Missing: 5}) {
		t.Fatalf("void again = %+v, %v", got, err)
	}
	// A void stamp is never activated again.
	res, err := s.Stamps.Activate(ctx, a.member, lot.Code, core.SerialRange{From: 1, To: 4})
	if err != nil || *res != (core.ActivationResult{Lot: res.Lot, Already: 2, Void: 2}) {
		t.Fatalf("activate over void = %+v, %v", res, err)
	}
	// A's voiding never touches B's stamps of the same serials.
	if n := s.count(t, `SELECT count(*) FROM stamps WHERE facility_id = $1 AND state = 'void'`, b.facility.ID); n != 0 {
		t.Fatalf("%d of B's stamps were voided by A", n)
	}
	_, err = s.Stamps.Void(ctx, a.member, core.SerialRange{From: 5, To: 1})
	wantCode(t, err, core.EINVALID)
	assertCounters(t, s)

	stamps, err := s.Stamps.FindStamps(ctx, a.facility.ID, core.SerialRange{From: 1, To: 3})
	if err != nil || len(stamps) != 3 {
		t.Fatalf("FindStamps = %v, %v", stamps, err)
	}
	for i, want := range []core.StampState{core.StampActivated, core.StampActivated, core.StampVoid} {
		if st := stamps[i]; st.Serial != int64(i+1) || st.State != want || st.LotID == nil {
			t.Errorf("serial %d: %+v, want %s on the lot", i+1, st, want)
		}
	}
}

// Batches ordered at the same moment for one facility never share a
// serial, and together they leave no gap.
func TestIssueBatchConcurrently(t *testing.T) {
	s := newServices(t)
	a := s.newProducer(t, "HTX A", "0912345678")
	const batches, size = 6, 500
	errs := make(chan error, batches)
	for range batches {
		go func() {
			_, err := s.Stamps.IssueBatch(context.Background(), a.facility.ID, size, false)
			errs <- err
		}()
	}
	for range batches {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	got := s.count(t, `SELECT count(*) FROM stamps WHERE facility_id = $1 AND serial BETWEEN 1 AND $2`, a.facility.ID, batches*size)
	overlaps := s.count(t, `
		SELECT count(*) FROM stamp_batches x JOIN stamp_batches y
		  ON x.facility_id = y.facility_id AND x.id < y.id
		 AND x.first_serial < y.first_serial + y.count AND y.first_serial < x.first_serial + x.count`)
	if got != batches*size || overlaps != 0 {
		t.Fatalf("%d stamps in serials 1-%d, %d overlapping batches", got, batches*size, overlaps)
	}
}

// assertCounters checks the facilities' counters against a full count.
func assertCounters(t *testing.T, s *services) {
	t.Helper()
	mismatched := s.count(t, `
		SELECT count(*) FROM facilities f
		WHERE f.stamps_activated <> (SELECT count(*) FROM stamps WHERE facility_id = f.id AND state = 'activated')
		   OR f.stamps_void <> (SELECT count(*) FROM stamps WHERE facility_id = f.id AND state = 'void')`)
	if mismatched != 0 {
		t.Fatalf("%d facilities' stamp counters disagree with their stamps", mismatched)
	}
}

// Two members activating overlapping ranges onto different lots at once:
// each stamp lands on exactly one lot, and the answers add up.
func TestActivateConcurrently(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	s.issue(t, a, 1000)
	lots := []*core.Lot{s.openLot(t, a), s.openLot(t, a)}
	results := make(chan *core.ActivationResult, 2)
	for i, r := range []core.SerialRange{{From: 1, To: 700}, {From: 300, To: 1000}} {
		go func() {
			res, err := s.Stamps.Activate(ctx, a.member, lots[i].Code, r)
			if err != nil {
				t.Error(err)
			}
			results <- res
		}()
	}
	first, second := <-results, <-results
	if first == nil || second == nil {
		t.FailNow()
	}
	if first.Activated+second.Activated != 1000 || first.OtherLot+second.OtherLot != 401 {
		t.Fatalf("answers %+v and %+v", first, second)
	}
	assertCounters(t, s)
}
