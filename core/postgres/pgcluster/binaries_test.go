package pgcluster

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindBinaries(t *testing.T) {
	dir, err := FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("FindBinaries() = %s", dir)
	if !hasServer(dir) {
		t.Fatalf("FindBinaries() = %s, which lacks initdb or postgres", dir)
	}
	want, err := findBinaries(notOnPath, debianRoot)
	if p, lookErr := exec.LookPath("initdb"); lookErr == nil {
		real, _ := filepath.EvalSymlinks(p)
		want, err = filepath.Dir(real), nil
	}
	if err == nil && dir != want {
		t.Errorf("FindBinaries() = %s, want %s", dir, want)
	}
}

func TestFindBinariesResolvesSymlinks(t *testing.T) {
	real := filepath.Join(t.TempDir(), "15", "bin")
	fakeServer(t, real, "initdb", "postgres")
	links := t.TempDir()
	for _, n := range []string{"initdb", "postgres"} {
		if err := os.Symlink(filepath.Join(real, n), filepath.Join(links, n)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := findBinaries(func(string) (string, error) { return filepath.Join(links, "initdb"), nil }, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got != real {
		t.Errorf("findBinaries = %s, want %s", got, real)
	}
}

func TestFindBinariesPicksHighestComplete(t *testing.T) {
	root := t.TempDir()
	fakeServer(t, filepath.Join(root, "9.6", "bin"), "initdb", "postgres")
	fakeServer(t, filepath.Join(root, "10", "bin"), "initdb", "postgres")
	fakeServer(t, filepath.Join(root, "16", "bin"), "initdb") // client-only install
	fakeServer(t, filepath.Join(root, "common", "bin"), "initdb", "postgres")

	got, err := findBinaries(notOnPath, root)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "10", "bin"); got != want {
		t.Errorf("findBinaries = %s, want %s", got, want)
	}
}

func TestFindBinariesPrefersPath(t *testing.T) {
	root := t.TempDir()
	fakeServer(t, filepath.Join(root, "15", "bin"), "initdb", "postgres")
	onPath := filepath.Join(t.TempDir(), "bin")
	fakeServer(t, onPath, "initdb", "postgres")

	got, err := findBinaries(func(string) (string, error) { return filepath.Join(onPath, "initdb"), nil }, root)
	if err != nil {
		t.Fatal(err)
	}
	if got != onPath {
		t.Errorf("findBinaries = %s, want %s", got, onPath)
	}
}

func TestFindBinariesNone(t *testing.T) {
	_, err := findBinaries(notOnPath, t.TempDir())
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("err = %v, want ErrNoBinaries", err)
	}
	if !strings.Contains(err.Error(), "apt-get install postgresql") {
		t.Errorf("error does not say what to install: %v", err)
	}
}

func notOnPath(string) (string, error) { return "", exec.ErrNotFound }

func fakeServer(t *testing.T, dir string, names ...string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}
