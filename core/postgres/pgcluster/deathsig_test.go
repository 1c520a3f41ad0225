package pgcluster

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestServerDiesWithParent kills a process holding a persistent cluster
// with SIGKILL, which runs no cleanup, and expects the server to go away.
func TestServerDiesWithParent(t *testing.T) {
	base := privateTempDir(t)
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := base + "/data"

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldCluster$")
	cmd.Env = append(os.Environ(), "PGCLUSTER_HELPER_DIR="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("helper printed no URL: %v", err)
	}
	t.Logf("fresh persistent cluster ready in %s", time.Since(began).Round(time.Millisecond))
	url := line[:len(line)-1]
	if err := pingOnce(url); err != nil {
		t.Fatalf("helper's server does not answer: %v", err)
	}

	cmd.Process.Kill()
	cmd.Wait()
	deadline := time.Now().Add(15 * time.Second)
	for pingOnce(url) == nil {
		if time.Now().After(deadline) {
			t.Fatal("server outlived its killed parent")
		}
		time.Sleep(50 * time.Millisecond)
	}

	// The orphaned lock file must not block the next start.
	var c *Cluster
	for {
		c, err = Start(context.Background(), Options{Dir: dir})
		if !errors.Is(err, ErrDirInUse) || time.Now().After(deadline) {
			break
		}
		// The postmaster may still be finishing its shutdown.
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("restart after the parent died: %v", err)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
}

// TestHelperHoldCluster is the victim process of TestServerDiesWithParent.
func TestHelperHoldCluster(t *testing.T) {
	dir := os.Getenv("PGCLUSTER_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	c, err := Start(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString(c.URL("postgres") + "\n")
	select {}
}
