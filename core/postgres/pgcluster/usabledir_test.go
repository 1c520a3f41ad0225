package pgcluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCanSearch(t *testing.T) {
	a := &account{uid: 101, gid: 104, groups: []uint32{104, 103}}
	for _, tc := range []struct {
		perm     os.FileMode
		uid, gid uint32
		want     bool
	}{
		{0o700, 101, 0, true},
		{0o070, 101, 104, false}, // the owner gets the owner bits only
		{0o710, 0, 104, true},
		{0o710, 0, 103, true}, // supplementary group
		{0o701, 0, 104, false},
		{0o701, 0, 0, true},
		{0o750, 0, 0, false},
	} {
		if got := a.canSearch(tc.perm, tc.uid, tc.gid); got != tc.want {
			t.Errorf("canSearch(%o, uid %d, gid %d) = %v, want %v", tc.perm, tc.uid, tc.gid, got, tc.want)
		}
	}
}

func TestUsableDir(t *testing.T) {
	closed := privateTempDir(t)
	preferred := filepath.Join(closed, "checkout", ".tracegate", "pg")

	dir, moved, err := UsableDir(preferred)
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		if moved || dir != preferred {
			t.Fatalf("UsableDir as non-root = %s, %v; want %s, false", dir, moved, preferred)
		}
		return
	}
	if !moved {
		t.Fatalf("UsableDir(%s) kept a directory under a 0700 root-owned one", preferred)
	}
	if filepath.Dir(dir) != os.TempDir() || !strings.HasPrefix(filepath.Base(dir), "tracegate-pg-") {
		t.Errorf("UsableDir moved to %s, want %s/tracegate-pg-*", dir, os.TempDir())
	}
	again, _, err := UsableDir(preferred)
	if err != nil || again != dir {
		t.Errorf("UsableDir is not stable: %s then %s (%v)", dir, again, err)
	}
	other, _, _ := UsableDir(filepath.Join(closed, "other"))
	if other == dir {
		t.Errorf("two checkouts share %s", dir)
	}

	if err := os.Chmod(closed, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, moved, err = UsableDir(preferred)
	if err != nil || moved || dir != preferred {
		t.Errorf("UsableDir under an open directory = %s, %v, %v; want %s, false", dir, moved, err, preferred)
	}
}

// privateTempDir is a 0700 directory of the current user, which the postgres
// user cannot enter when we are root. Unlike t.TempDir, it sits directly
// under os.TempDir, so subdirectories can be opened up to postgres.
func privateTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pgcluster-test-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
