package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestStartStopReuse(t *testing.T) {
	base := privateTempDir(t)
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	// A missing parent exercises creating and handing over directories.
	dir := filepath.Join(base, "nested", "data")
	ctx := context.Background()

	var log syncBuffer
	began := time.Now()
	c, err := Start(ctx, Options{Dir: dir, Throwaway: true, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fresh cluster (initdb + start) ready in %s", time.Since(began).Round(time.Millisecond))
	t.Cleanup(func() { c.Stop() })
	if !strings.Contains(log.String(), "The files belonging to this database system") {
		t.Errorf("log lacks initdb output:\n%s", log.String())
	}
	mustExec(t, c.URL("postgres"), "CREATE TABLE kept (id int)")

	if _, err := Start(ctx, Options{Dir: dir, Throwaway: true}); !errors.Is(err, ErrDirInUse) {
		t.Errorf("second Start on a running directory: err = %v, want ErrDirInUse", err)
	}

	if err := c.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := c.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if err := pingOnce(c.URL("postgres")); err == nil {
		t.Error("server still answers after Stop")
	}

	log.Reset()
	began = time.Now()
	c2, err := Start(ctx, Options{Dir: dir, Throwaway: true, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("existing cluster ready in %s", time.Since(began).Round(time.Millisecond))
	defer c2.Stop()
	if strings.Contains(log.String(), "The files belonging to this database system") {
		t.Error("initdb ran again on an existing cluster")
	}
	mustExec(t, c2.URL("postgres"), "SELECT * FROM kept")
	if err := c2.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
}

func TestStartRefusesNonEmptyDir(t *testing.T) {
	dir := privateTempDir(t)
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), Options{Dir: dir, Throwaway: true})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("err = %v, want a not-empty error", err)
	}
}

func TestStartRefusesUnreachableDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the server to another user")
	}
	closed := privateTempDir(t)
	_, err := Start(context.Background(), Options{Dir: filepath.Join(closed, "data"), Throwaway: true})
	if err == nil || !strings.Contains(err.Error(), "cannot reach") {
		t.Fatalf("err = %v, want a cannot-reach error", err)
	}
}

func mustExec(t *testing.T, url, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql).ReadAll(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func pingOnce(url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		return err
	}
	return conn.Close(ctx)
}

// syncBuffer is written by the server's output goroutine while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}
