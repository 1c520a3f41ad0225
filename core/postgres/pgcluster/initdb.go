package pgcluster

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"syscall"
)

// initdb creates a cluster whose only role, postgres, needs no password:
// the server listens on loopback only and exists for one developer or one
// test run.
func initdb(ctx context.Context, bin, dir string, throwaway bool, acct *account, log *tailWriter) error {
	args := []string{"-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"}
	if throwaway {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), args...)
	// The caller's working directory may be closed to the postgres user.
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: acct.credential()}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("initdb in %s: %w\n%s", dir, err, log.Tail())
	}
	return nil
}
