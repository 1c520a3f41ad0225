package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNoBouncer means there is no pgbouncer binary to run.
var ErrNoBouncer = errors.New("pgbouncer not found on PATH or in /usr/sbin: install it, e.g. apt-get install pgbouncer")

// BouncerOptions says how to run a PgBouncer in front of a server.
type BouncerOptions struct {
	// Dir holds its configuration; it is created.
	Dir string
	// Upstream is a connection string of the server: its host, port, user
	// and password are what PgBouncer logs in with, to any database.
	Upstream string
	// PoolSize is how many server connections it keeps per database
	// (default 4): fewer than its clients, so that they share them.
	PoolSize int
	// Log receives PgBouncer's output; nil discards it.
	Log io.Writer
}

// Bouncer is a PgBouncer in transaction mode on loopback, a child of this
// process: every transaction of its clients may run on another server
// connection, as in a deployment behind one.
type Bouncer struct {
	port    int
	user    string
	cmd     *exec.Cmd
	log     *tailWriter
	done    chan struct{} // closed once it has exited
	waitErr error         // valid after done is closed
}

// FindBouncer returns the pgbouncer binary: on PATH, or where Debian puts
// it (/usr/sbin, which a non-root PATH lacks).
func FindBouncer() (string, error) {
	if p, err := exec.LookPath("pgbouncer"); err == nil {
		return p, nil
	}
	if p := "/usr/sbin/pgbouncer"; isExecutable(p) {
		return p, nil
	}
	return "", ErrNoBouncer
}

// StartBouncer runs PgBouncer in front of opts.Upstream and returns once a
// query passes through it. ctx bounds the start only.
func StartBouncer(ctx context.Context, opts BouncerOptions) (*Bouncer, error) {
	bin, err := FindBouncer()
	if err != nil {
		return nil, err
	}
	up, err := pgconn.ParseConfig(opts.Upstream)
	if err != nil {
		return nil, fmt.Errorf("start pgbouncer: upstream: %w", err)
	}
	// PgBouncer refuses to run as root, as postgres does.
	acct, err := serverAccount()
	if err != nil {
		return nil, err
	}
	if err := bouncerDir(opts.Dir, acct); err != nil {
		return nil, err
	}
	log := newTailWriter(opts.Log)
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, fmt.Errorf("start pgbouncer: %w", err)
		}
		conf, err := writeBouncerConf(opts, up, port, acct)
		if err != nil {
			return nil, err
		}
		b, err := launchBouncer(ctx, bin, conf, port, up, acct, log)
		// The port we picked may have been taken in between.
		if err != nil && attempt < 3 && log.Contains("Address already in use") {
			continue
		}
		return b, err
	}
}

// bouncerDir makes dir for PgBouncer's configuration, its own when it runs
// as another user.
func bouncerDir(dir string, acct *account) error {
	if acct != nil {
		blocked, err := firstUnsearchable(dir, acct)
		if err != nil {
			return err
		}
		if blocked != "" {
			return fmt.Errorf("start pgbouncer in %s: the postgres OS user cannot reach it because %s denies it search permission", dir, blocked)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("start pgbouncer: %w", err)
	}
	return acct.chown(dir)
}

// writeBouncerConf writes a configuration that sends every database to
// the upstream server's database of the same name, as its user: clients
// need no password (auth_type any), it listens on loopback only.
func writeBouncerConf(opts BouncerOptions, up *pgconn.Config, port int, acct *account) (string, error) {
	pool := opts.PoolSize
	if pool == 0 {
		pool = 4
	}
	server := fmt.Sprintf("host=%s port=%d user=%s", up.Host, up.Port, up.User)
	if up.Password != "" {
		server += " password=" + up.Password
	}
	conf := strings.Join([]string{
		"[databases]",
		"* = " + server,
		"[pgbouncer]",
		"listen_addr = 127.0.0.1",
		"listen_port = " + strconv.Itoa(port),
		// No Unix socket: /var/run/postgresql may not be ours.
		"unix_socket_dir =",
		"auth_type = any",
		"pool_mode = transaction",
		"default_pool_size = " + strconv.Itoa(pool),
		"max_client_conn = 500",
		"",
	}, "\n")
	path := filepath.Join(opts.Dir, "pgbouncer.ini")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return "", fmt.Errorf("start pgbouncer: %w", err)
	}
	return path, acct.chown(path)
}

func launchBouncer(ctx context.Context, bin, conf string, port int, up *pgconn.Config, acct *account, log *tailWriter) (*Bouncer, error) {
	cmd := exec.Command(bin, conf)
	cmd.Dir = filepath.Dir(conf)
	cmd.Stdout, cmd.Stderr = log, log
	// SIGTERM is PgBouncer's immediate shutdown: it holds nothing to keep.
	cmd.SysProcAttr = serverProcAttr(acct, syscall.SIGTERM)
	cmd.WaitDelay = 5 * time.Second
	b := &Bouncer{port: port, user: up.User, cmd: cmd, log: log, done: make(chan struct{})}
	started := make(chan error, 1)
	go b.run(started)
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start pgbouncer: %w", err)
	}
	if err := b.waitReady(ctx, up.Database); err != nil {
		b.Stop()
		return nil, fmt.Errorf("start pgbouncer on port %d: %w\n%s", port, err, log.Tail())
	}
	return b, nil
}

// run starts PgBouncer and waits for it on a locked OS thread, for the
// reason Cluster.run gives: the parent-death signal follows the thread.
func (b *Bouncer) run(started chan<- error) { runLocked(b.cmd, started, &b.waitErr, b.done) }

// waitReady polls until a query reaches the server through PgBouncer.
func (b *Bouncer) waitReady(ctx context.Context, database string) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	var last error
	for {
		if last = b.ping(ctx, database); last == nil {
			return nil
		}
		select {
		case <-b.done:
			return fmt.Errorf("pgbouncer exited during startup: %v", b.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("pgbouncer did not pass a query: %w (last attempt: %v)", ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (b *Bouncer) ping(ctx context.Context, database string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgconn.Connect(ctx, b.URL(database))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, "SELECT 1").ReadAll()
	return err
}

// URL returns a connection string for database through PgBouncer.
func (b *Bouncer) URL(database string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", url.PathEscape(b.user), b.port, url.PathEscape(database))
}

// Stop ends PgBouncer, cutting its clients, and waits for it to exit.
func (b *Bouncer) Stop() {
	select {
	case <-b.done:
		return
	default:
	}
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.done:
	case <-time.After(stopTimeout):
		_ = b.cmd.Process.Kill()
		<-b.done
	}
}
