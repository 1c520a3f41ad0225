package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// StartReplica starts a hot standby of c that streams c's WAL as it is
// written: pg_basebackup -R copies c into opts.Dir and writes the
// standby.signal and primary_conninfo that make the copy follow c. A
// directory that already holds a standby is started again as it is, so a
// test can stop a replica and bring it back. opts.Port, Throwaway and Log
// mean what they mean for Start.
//
// c needs wal_level replica or logical and a free WAL sender, which are
// Postgres's defaults, and a pg_hba.conf replication entry for loopback,
// which initdb writes (trust, as for every other loopback connection).
func (c *Cluster) StartReplica(ctx context.Context, opts Options) (*Cluster, error) {
	env, err := prepare(opts, "replica")
	if err != nil {
		return nil, err
	}
	dir, bin, acct, log := env.dir, env.bin, env.acct, env.log
	needsCopy, err := prepareStandbyDir(dir, acct)
	if err != nil {
		return nil, err
	}
	if needsCopy {
		if err := c.checkCanReplicate(ctx); err != nil {
			return nil, err
		}
		if err := c.baseBackup(ctx, bin, dir, opts.Throwaway, acct, log); err != nil {
			return nil, err
		}
	}
	port := opts.Port
	if port == 0 {
		if port, err = freePort(); err != nil {
			return nil, fmt.Errorf("start replica in %s: %w", dir, err)
		}
	}
	r, err := launch(ctx, bin, dir, port, opts.Throwaway, acct, log)
	if err != nil {
		return nil, fmt.Errorf("start replica of port %d: %w", c.port, err)
	}
	return r, nil
}

// prepareStandbyDir reports whether dir still needs its base backup. A
// directory with a cluster in it must be a standby already: starting a
// copy of some other primary would follow the wrong server.
func prepareStandbyDir(dir string, acct *account) (needsCopy bool, err error) {
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err == nil {
		if _, err := os.Stat(filepath.Join(dir, "standby.signal")); err != nil {
			return false, fmt.Errorf("start replica in %s: it holds a cluster that is not a standby (no standby.signal)", dir)
		}
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("inspect data directory %s: %w", dir, err)
	}
	// The same empty, private, postgres-owned directory initdb wants is
	// what pg_basebackup -D wants.
	if _, err := prepareDataDir(dir, acct); err != nil {
		return false, err
	}
	return true, nil
}

// checkCanReplicate says plainly what the primary lacks, rather than
// leave pg_basebackup to fail on it after a wait.
func (c *Cluster) checkCanReplicate(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("check the primary on port %d can replicate: %w", c.port, err)
	}
	defer conn.Close(context.Background())
	var level string
	var senders int
	err = conn.QueryRow(ctx, `SELECT current_setting('wal_level'), current_setting('max_wal_senders')::int`).Scan(&level, &senders)
	if err != nil {
		return fmt.Errorf("check the primary on port %d can replicate: %w", c.port, err)
	}
	if level == "minimal" || senders < 1 {
		return fmt.Errorf("the primary on port %d cannot feed a replica: wal_level is %s and max_wal_senders %d (it needs replica and at least 1)", c.port, level, senders)
	}
	return nil
}

// baseBackup copies the primary into dir with its WAL streamed alongside
// (-X stream), so the copy is consistent however busy the primary is, and
// a checkpoint forced at once (-c fast) rather than waited for.
func (c *Cluster) baseBackup(ctx context.Context, bin, dir string, throwaway bool, acct *account, log *tailWriter) error {
	args := []string{
		"-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "postgres",
		"-D", dir, "-R", "-X", "stream", "-c", "fast",
	}
	if throwaway {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pg_basebackup"), args...)
	// The caller's working directory may be closed to the postgres user.
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: acct.credential()}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_basebackup of port %d into %s: %w\n%s", c.port, dir, err, log.Tail())
	}
	return nil
}

// WaitReplayed returns once r has replayed every change primary had
// committed when it was called, so what a test wrote there can be read on
// r.
func (r *Cluster) WaitReplayed(ctx context.Context, primary *Cluster) error {
	lsn, err := primary.flushedLSN(ctx)
	if err != nil {
		return fmt.Errorf("read the primary's WAL position: %w", err)
	}
	conn, err := pgx.Connect(ctx, r.URL("postgres"))
	if err != nil {
		return fmt.Errorf("wait for the replica on port %d: %w", r.port, err)
	}
	defer conn.Close(context.Background())
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		var done bool
		err := conn.QueryRow(ctx, `SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)`, lsn).Scan(&done)
		if err != nil {
			return fmt.Errorf("wait for the replica on port %d to replay %s: %w", r.port, lsn, err)
		}
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the replica on port %d did not replay %s: %w", r.port, lsn, ctx.Err())
		case <-tick.C:
		}
	}
}

// flushedLSN is where c's WAL ends once everything committed so far is on
// disk. A throwaway cluster commits with synchronous_commit off, so a
// commit's WAL may sit in memory, past pg_current_wal_lsn() and unsent to
// replicas, for up to wal_writer_delay. One synchronous commit flushes it
// all, but only of a transaction that wrote WAL before its commit record
// (one that merely took an xid commits asynchronously whatever the
// setting): a transactional logical message is such a write, and touches
// no table.
func (c *Cluster) flushedLSN(ctx context.Context) (string, error) {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `SET synchronous_commit = on`); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, `SELECT pg_logical_emit_message(true, 'pgcluster', 'flush')`); err != nil {
		return "", err
	}
	var lsn string
	err = conn.QueryRow(ctx, `SELECT pg_current_wal_flush_lsn()::text`).Scan(&lsn)
	return lsn, err
}
