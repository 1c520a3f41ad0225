package pgcluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// prepareDataDir makes dir ready for the server and reports whether initdb
// still has to run. A directory with PG_VERSION is an existing cluster and is
// left as it is.
func prepareDataDir(dir string, acct *account) (needsInit bool, err error) {
	_, err = os.Stat(filepath.Join(dir, "PG_VERSION"))
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("inspect data directory %s: %w", dir, err)
	}

	// Create what is missing top-down, so each new directory can be handed
	// to the postgres user before anything goes inside it.
	var missing []string
	for p := dir; ; {
		_, err := os.Stat(p)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("create data directory %s: %w", dir, err)
		}
		missing = append(missing, p)
		parent := filepath.Dir(p)
		if parent == p {
			break
		}
		p = parent
	}
	for i := len(missing) - 1; i >= 0; i-- {
		mode := fs.FileMode(0o755)
		if i == 0 {
			mode = 0o700
		}
		if err := os.Mkdir(missing[i], mode); err != nil && !errors.Is(err, fs.ErrExist) {
			return false, fmt.Errorf("create data directory %s: %w", dir, err)
		}
		if err := acct.chown(missing[i]); err != nil {
			return false, err
		}
	}

	// initdb only fills an empty directory; say why here rather than let it
	// fail with a less specific message.
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, fmt.Errorf("inspect data directory %s: %w", dir, err)
	}
	if len(entries) > 0 {
		return false, fmt.Errorf("data directory %s is not empty but holds no Postgres cluster (no PG_VERSION): empty it or choose another", dir)
	}
	// Postgres refuses a data directory that others can read, or that
	// belongs to another user.
	if err := os.Chmod(dir, 0o700); err != nil {
		return false, fmt.Errorf("restrict data directory %s: %w", dir, err)
	}
	if err := acct.chown(dir); err != nil {
		return false, err
	}
	return true, nil
}
