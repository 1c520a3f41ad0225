package pgcluster

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// UsableDir answers where a cluster meant for preferred can live. As root the
// server runs as the postgres OS user, which must be able to walk down to its
// data directory; a checkout under /root usually forbids that. Then the
// answer is a stable directory under os.TempDir() derived from preferred, and
// moved is true so the caller can tell the user. When not root, the server
// runs as the caller and preferred is always usable.
func UsableDir(preferred string) (dir string, moved bool, err error) {
	acct, err := serverAccount()
	if err != nil {
		return "", false, err
	}
	if acct == nil {
		return preferred, false, nil
	}
	abs, err := filepath.Abs(preferred)
	if err != nil {
		return "", false, fmt.Errorf("locate %s: %w", preferred, err)
	}
	blocked, err := firstUnsearchable(abs, acct)
	if err != nil {
		return "", false, err
	}
	if blocked == "" {
		return preferred, false, nil
	}
	sum := sha256.Sum256([]byte(abs))
	fallback := filepath.Join(os.TempDir(), "tracegate-pg-"+hex.EncodeToString(sum[:6]))
	// Moving only helps if the postgres user can reach the new place.
	if b, err := firstUnsearchable(fallback, acct); err != nil || b != "" {
		if err == nil {
			err = fmt.Errorf("%s denies it search permission too", b)
		}
		return "", false, fmt.Errorf("the postgres OS user cannot reach %s (%s denies search permission) nor %s: %w", abs, blocked, fallback, err)
	}
	return fallback, true, nil
}

// firstUnsearchable returns the first directory above path that the
// postgres user may not pass through, or "" when none. Directories that do
// not exist yet do not count: Start creates them and hands them over.
func firstUnsearchable(path string, acct *account) (string, error) {
	existing := path
	for {
		_, err := os.Stat(existing)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("check access to %s: %w", path, err)
		}
		parent := filepath.Dir(existing)
		if parent == existing {
			return "", nil
		}
		existing = parent
	}
	// The kernel checks the real path, not the symlinks on the way.
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		return "", fmt.Errorf("check access to %s: %w", path, err)
	}
	dir := real
	if existing == path {
		// The directory itself will be owned by the postgres user; only its
		// ancestors matter.
		dir = filepath.Dir(real)
	}
	for {
		fi, err := os.Stat(dir)
		if err != nil {
			return "", fmt.Errorf("check access to %s: %w", dir, err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if ok && !acct.canSearch(fi.Mode().Perm(), st.Uid, st.Gid) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}
