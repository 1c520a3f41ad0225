package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ErrNoBinaries means neither PATH nor the Debian layout has initdb and
// postgres.
var ErrNoBinaries = errors.New("postgres server binaries (initdb, postgres) not found")

// debianRoot is where Debian and Ubuntu install one bin/ per major version,
// none of which is on PATH.
const debianRoot = "/usr/lib/postgresql"

// FindBinaries returns the directory holding initdb and postgres: the one on
// PATH if initdb is there with postgres beside it (symlinks resolved),
// otherwise the highest version under /usr/lib/postgresql/*/bin.
func FindBinaries() (string, error) {
	return findBinaries(exec.LookPath, debianRoot)
}

func findBinaries(lookPath func(string) (string, error), root string) (string, error) {
	if p, err := lookPath("initdb"); err == nil {
		// Prefer the real install directory over a directory of symlinks
		// into it, such as /usr/local/bin: that is where postgres, its
		// libraries and share/ belong together.
		if real, err := filepath.EvalSymlinks(p); err == nil && hasServer(filepath.Dir(real)) {
			return filepath.Dir(real), nil
		}
		if dir, err := filepath.Abs(filepath.Dir(p)); err == nil && hasServer(dir) {
			return dir, nil
		}
	}
	entries, _ := os.ReadDir(root)
	var best string
	var bestVersion []int
	for _, e := range entries {
		v, ok := parseVersion(e.Name())
		if !ok {
			continue
		}
		dir := filepath.Join(root, e.Name(), "bin")
		if !hasServer(dir) {
			continue
		}
		if best == "" || slices.Compare(v, bestVersion) > 0 {
			best, bestVersion = dir, v
		}
	}
	if best == "" {
		return "", fmt.Errorf("%w on PATH or under %s/*/bin: install the PostgreSQL server package, e.g. apt-get install postgresql", ErrNoBinaries, root)
	}
	return best, nil
}

func hasServer(dir string) bool {
	return isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres"))
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// parseVersion reads directory names such as "15" or "9.6" so that 10 sorts
// above 9.6.
func parseVersion(name string) ([]int, bool) {
	var v []int
	for _, part := range strings.Split(name, ".") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, false
		}
		v = append(v, n)
	}
	return v, true
}
