package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
	"tracegate/core/postgres"
)

// pgServer is the bench's Postgres server, by its maintenance database.
type pgServer struct{ admin string }

// fresh drops and creates database name and returns its URL.
func (s *pgServer) fresh(ctx context.Context, name string) (string, error) {
	if err := s.exec(ctx, `DROP DATABASE IF EXISTS %s WITH (FORCE)`, name); err != nil {
		return "", err
	}
	if err := s.exec(ctx, `CREATE DATABASE %s`, name); err != nil {
		return "", err
	}
	u, err := url.Parse(s.admin)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// drop drops database name: a scale's data is gigabytes.
func (s *pgServer) drop(ctx context.Context, name string) error {
	return s.exec(ctx, `DROP DATABASE IF EXISTS %s WITH (FORCE)`, name)
}

func (s *pgServer) exec(ctx context.Context, sql, database string) error {
	conn, err := pgx.Connect(ctx, s.admin)
	if err != nil {
		return fmt.Errorf("connect to the bench's server: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fmt.Sprintf(sql, pgx.Identifier{database}.Sanitize())); err != nil {
		return fmt.Errorf("database %s: %w", database, err)
	}
	return nil
}

// benchStampsPerLot and benchStampsPerFacility shape the country: a lot
// of ten thousand jars, a facility with up to a million stamps.
const (
	benchStampsPerLot      = 10_000
	benchStampsPerFacility = 1_000_000
)

// benchWorld is one scale's data: its producers and what was generated.
type benchWorld struct {
	url       string
	db        *postgres.DB
	s         core.Services
	producers []benchProducer
	codes     []core.Code // a sample of activated codes, for lookups
}

var benchStars = 4

type benchProducer struct {
	facility core.Facility
	product  core.Product
	member   core.Member
}

// generate fills a migrated database with stamps activated stamps on
// their lots, each lot with a three-step diary, and as many lookups
// spread over the last year, rolled up as the hourly job would.
func generate(ctx context.Context, db *postgres.DB, stamps int) (*benchWorld, error) {
	w := &benchWorld{db: db, s: postgres.NewServices(db)}
	rebuild, err := w.dropIndexes(ctx)
	if err != nil {
		return nil, err
	}
	facilities := max(1, (stamps+benchStampsPerFacility-1)/benchStampsPerFacility)
	for i := range facilities {
		p, err := w.producer(ctx, i)
		if err != nil {
			return nil, err
		}
		n := min(benchStampsPerFacility, stamps-i*benchStampsPerFacility)
		if err := w.stamps(ctx, p, n); err != nil {
			return nil, fmt.Errorf("stamps of facility %d: %w", i, err)
		}
		w.producers = append(w.producers, *p)
	}
	if err := w.lookups(ctx, rebuild); err != nil {
		return nil, err
	}
	return w, w.sample(ctx, 10_000)
}

// dropIndexes drops the indexes of stamps and lookups that no constraint
// holds, and returns how to make them again: ten million random keys go
// into a B-tree far faster sorted, by CREATE INDEX, than one at a time.
// The schema measured is the same; only its making is faster.
func (w *benchWorld) dropIndexes(ctx context.Context) ([]string, error) {
	rows, err := w.db.Pool.Query(ctx, `
		SELECT ARRAY[i.indexrelid::regclass::text, replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ')]
		FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
		WHERE t.relname IN ('stamps', 'lookups')
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`)
	if err != nil {
		return nil, err
	}
	indexes, err := pgx.CollectRows(rows, pgx.RowTo[[]string])
	if err != nil {
		return nil, err
	}
	var rebuild []string
	for _, ix := range indexes {
		if _, err := w.db.Pool.Exec(ctx, `DROP INDEX `+ix[0]); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", ix[0], err)
		}
		rebuild = append(rebuild, ix[1])
	}
	return rebuild, nil
}

func (w *benchWorld) producer(ctx context.Context, i int) (*benchProducer, error) {
	p := &benchProducer{
		facility: core.Facility{Name: fmt.Sprintf("HTX Bench %d", i+1), Province: "Cà Mau"},
		product:  core.Product{Code: "MATONG", Name: "Mật ong rừng", OCOPStars: &benchStars},
		member:   core.Member{Name: fmt.Sprintf("Thành viên %d", i+1), Lang: core.LangVI},
	}
	if err := w.s.Facilities.CreateFacility(ctx, &p.facility); err != nil {
		return nil, err
	}
	p.product.FacilityID, p.member.FacilityID = p.facility.ID, p.facility.ID
	if err := w.s.Products.CreateProduct(ctx, &p.product); err != nil {
		return nil, err
	}
	urn, err := core.TelURN(fmt.Sprintf("+8491%07d", i))
	if err != nil {
		return nil, err
	}
	p.member.URNs = []core.URN{urn}
	return p, w.s.Members.CreateMember(ctx, &p.member)
}

// stamps writes n activated stamps of p with COPY, in batches of the
// largest size a batch may have and lots of benchStampsPerLot, and sets
// the facility's counters as issuing and activating them would.
func (w *benchWorld) stamps(ctx context.Context, p *benchProducer, n int) error {
	var lots []int64
	for range (n + benchStampsPerLot - 1) / benchStampsPerLot {
		lot, err := w.s.Lots.OpenLot(ctx, &p.member, p.product.Code, "")
		if err != nil {
			return err
		}
		for _, step := range []core.Step{core.StepHarvest, core.StepProcess, core.StepPack} {
			if err := w.s.Diary.RecordEntry(ctx, &p.member, &core.DiaryEntry{LotCode: lot.Code, Step: step, Channel: "bench"}); err != nil {
				return err
			}
		}
		lots = append(lots, lot.ID)
	}
	var batch int64
	err := w.db.Pool.QueryRow(ctx, `
		INSERT INTO stamp_batches (facility_id, first_serial, count) VALUES ($1, 1, $2) RETURNING id`,
		p.facility.ID, n).Scan(&batch)
	if err != nil {
		return err
	}
	activated := time.Now().AddDate(0, 0, -200)
	serial := 0
	_, err = w.db.Pool.CopyFrom(ctx, pgx.Identifier{"stamps"},
		[]string{"facility_id", "serial", "code", "batch_id", "state", "lot_id", "activated_at"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if serial == n {
				return nil, nil
			}
			serial++
			code := benchCode(p.facility.ID, serial)
			return []any{p.facility.ID, serial, string(code), batch, "activated", lots[(serial-1)/benchStampsPerLot], activated}, nil
		}))
	if err != nil {
		return err
	}
	_, err = w.db.Pool.Exec(ctx, `UPDATE facilities SET last_serial = $2, stamps_activated = $2 WHERE id = $1`, p.facility.ID, n)
	return err
}

// benchCode is a valid code unique to a facility's serial: the serial
// scrambled by an odd multiplier, a bijection on the code's 40 bits.
func benchCode(facility int64, serial int) core.Code {
	x := (uint64(facility)<<32 + uint64(serial)) * 0x9E3779B97F4A7C15 & (1<<40 - 1)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], x)
	code, _ := core.NewCode(bytesReader(b[3:]))
	return code
}

type bytesReader []byte

func (r bytesReader) Read(p []byte) (int, error) { return copy(p, r), nil }

// lookups gives every stamp one lookup in the last year, makes the
// dropped indexes again, then rolls the closed hours up as the hourly job
// does and refreshes the statistics.
func (w *benchWorld) lookups(ctx context.Context, rebuild []string) error {
	sqls := []string{`SET maintenance_work_mem = '512MB'`, `
		INSERT INTO lookups (code, verdict, channel, urn_hash, product_id, looked_at)
		SELECT s.code, 'genuine', 'sms', sha256(int8send(s.facility_id * 100000000 + s.serial)), l.product_id,
		       now() - random() * interval '365 days'
		FROM stamps s JOIN lots l ON l.id = s.lot_id`}
	sqls = append(sqls, rebuild...)
	conn, err := w.db.Pool.Acquire(ctx) // one session, for its SET
	if err != nil {
		return err
	}
	defer conn.Release()
	for _, sql := range append(sqls, `VACUUM ANALYZE`) {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("generate lookups: %w", err)
		}
	}
	// The measures start from a checkpoint, not in the middle of the one
	// the generation set off; a server that refuses (not a superuser)
	// is measured as it is.
	conn.Exec(ctx, `CHECKPOINT`)
	_, err = w.db.Rollup(ctx, time.Now())
	return err
}

// sample picks up to n activated codes at random.
func (w *benchWorld) sample(ctx context.Context, n int) error {
	rows, err := w.db.Pool.Query(ctx, `SELECT code FROM stamps WHERE state = 'activated' ORDER BY random() LIMIT $1`, n)
	if err != nil {
		return err
	}
	w.codes, err = pgx.CollectRows(rows, pgx.RowTo[core.Code])
	return err
}
