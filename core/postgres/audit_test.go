package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// Nobody edits the log, not even the role that owns the table: every
// statement that would is refused, matching rows or not.
func TestAuditLogIsAppendOnly(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	officer := s.newAccount(t, "so.khcn", core.RoleAgency, 0)
	e := &core.AuditEntry{AccountID: officer.ID, Action: "facility.create", Object: "facility", ObjectID: 1,
		After: []byte(`{"name": "HTX A"}`)}
	if err := s.Audit.Record(ctx, e); err != nil {
		t.Fatal(err)
	}
	var owner, me string
	if err := s.db.Pool.QueryRow(ctx, `SELECT tableowner, current_user FROM pg_tables WHERE tablename = 'audit_log'`).Scan(&owner, &me); err != nil {
		t.Fatal(err)
	}
	if owner != me {
		t.Fatalf("the test runs as %s, not as the table's owner %s", me, owner)
	}
	for _, sql := range []string{
		`UPDATE audit_log SET login = 'someone else'`,
		`UPDATE audit_log SET after = NULL WHERE id = ` + fmt.Sprint(e.ID),
		`DELETE FROM audit_log`,
		`DELETE FROM audit_log WHERE false`,
		`TRUNCATE audit_log`,
	} {
		if _, err := s.db.Pool.Exec(ctx, sql); err == nil {
			t.Errorf("%s: no error", sql)
		}
	}
	got, err := s.Audit.FindAudit(ctx, 0, 0, 10)
	if err != nil || len(got) != 1 || got[0].Login != "so.khcn" || string(got[0].After) != `{"name": "HTX A"}` {
		t.Fatalf("the log after the attempts: %+v, %v", got, err)
	}
}

func TestAuditRecord(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	p := s.newProducer(t, "HTX A", "0912345678")
	lan := s.newAccount(t, "lan", core.RoleFacility, p.facility.ID)
	for _, tc := range []struct {
		name  string
		entry core.AuditEntry
		want  core.ErrorCode
		login string // as stored
	}{
		{"by an account", core.AuditEntry{AccountID: lan.ID, Action: "product.update", Object: "product", ObjectID: p.product.ID,
			FacilityID: p.facility.ID, Before: []byte(`{"name":"a"}`), After: []byte(`{"name":"b"}`)}, "", "lan"},
		{"from the command line", core.AuditEntry{Login: "cli:root", Action: "account.create", Object: "account", ObjectID: lan.ID}, "", "cli:root"},
		{"by nobody", core.AuditEntry{Action: "lot.recall", Object: "lot"}, core.EINVALID, ""},
		{"no action", core.AuditEntry{AccountID: lan.ID, Object: "lot"}, core.EINVALID, ""},
		{"not JSON", core.AuditEntry{AccountID: lan.ID, Action: "lot.recall", Object: "lot", After: []byte(`{`)}, core.EINVALID, ""},
		{"unknown account", core.AuditEntry{AccountID: 9999, Action: "lot.recall", Object: "lot"}, core.ENOTFOUND, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.entry
			wantCode(t, s.Audit.Record(ctx, &e), tc.want)
			if tc.want != "" {
				return
			}
			if e.ID == 0 || time.Since(e.At) > time.Minute || e.Login != tc.login {
				t.Fatalf("recorded %+v", e)
			}
		})
	}

	// Recorded in the change's transaction, it goes when the change does.
	errUndo := errors.New("undo")
	err := s.db.InTx(ctx, func(_ pgx.Tx, tx core.Services) error {
		if err := tx.Audit.Record(ctx, &core.AuditEntry{AccountID: lan.ID, Action: "lot.recall", Object: "lot"}); err != nil {
			return err
		}
		return errUndo
	})
	if !errors.Is(err, errUndo) {
		t.Fatal(err)
	}
	if n := s.count(t, `SELECT count(*) FROM audit_log`); n != 2 {
		t.Fatalf("%d entries, want the 2 recorded outside the undone transaction", n)
	}
}

func TestFindAudit(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")
	officer := s.newAccount(t, "so.khcn", core.RoleAgency, 0)
	// Entries of A, B and of no facility, interleaved.
	byFacility := map[int64][]int64{}
	var all []int64
	for i := range 12 {
		facility := []int64{a.facility.ID, b.facility.ID, 0}[i%3]
		e := &core.AuditEntry{AccountID: officer.ID, Action: "member.create", Object: "member", ObjectID: int64(i + 1), FacilityID: facility}
		if err := s.Audit.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
		byFacility[facility] = append([]int64{e.ID}, byFacility[facility]...) // newest first
		all = append([]int64{e.ID}, all...)
	}
	ids := func(entries []*core.AuditEntry) []int64 {
		var out []int64
		for _, e := range entries {
			out = append(out, e.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		facility int64
		before   int64
		limit    int
		want     []int64
	}{
		{"everyone's newest", 0, 0, 5, all[:5]},
		{"everyone's next page", 0, all[4], 5, all[5:10]},
		{"everyone's last page", 0, all[9], 5, all[10:]},
		{"A's newest", a.facility.ID, 0, 3, byFacility[a.facility.ID][:3]},
		{"A's next page", a.facility.ID, byFacility[a.facility.ID][2], 3, byFacility[a.facility.ID][3:]},
		{"B's, no limit given", b.facility.ID, 0, 0, byFacility[b.facility.ID]},
		{"past the oldest", a.facility.ID, byFacility[a.facility.ID][3], 3, nil},
		{"a facility with none", 9999, 0, 10, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Audit.FindAudit(ctx, tc.facility, tc.before, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(ids(got)) != fmt.Sprint(tc.want) {
				t.Fatalf("ids %v, want %v", ids(got), tc.want)
			}
			for _, e := range got {
				if tc.facility > 0 && e.FacilityID != tc.facility || e.Login != "so.khcn" || e.AccountID != officer.ID ||
					e.Action != "member.create" || e.Before != nil || e.After != nil {
					t.Fatalf("entry %+v", e)
				}
			}
		})
	}
}
