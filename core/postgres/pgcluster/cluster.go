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
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// ErrDirInUse means another live server already runs on the data directory.
var ErrDirInUse = errors.New("another tracegate dev is already running with this data directory")

// stopTimeout bounds a fast shutdown; past it the server is killed, which
// costs only crash recovery on the next start.
const stopTimeout = 30 * time.Second

// Options says where and how to run a cluster.
type Options struct {
	// Dir is the data directory. initdb runs when it holds no PG_VERSION
	// yet; otherwise the existing cluster is reused.
	Dir string
	// Port is the loopback port to listen on; 0 picks a free one.
	Port int
	// Throwaway trades durability for speed, for clusters that tests
	// delete afterwards.
	Throwaway bool
	// Log receives initdb and server output; nil discards it.
	Log io.Writer
}

// Cluster is a running server, a child of this process.
type Cluster struct {
	dir  string
	port int
	cmd  *exec.Cmd
	log  *tailWriter

	done    chan struct{} // closed once the server has exited
	waitErr error         // valid after done is closed

	stopOnce sync.Once
	stopErr  error
}

// Start runs a server on opts.Dir, creating the cluster first if needed, and
// returns once it accepts connections. ctx bounds the start only, not the
// server's life: that ends with Stop or with this process.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	env, err := prepare(opts, "postgres")
	if err != nil {
		return nil, err
	}
	dir, bin, acct, log := env.dir, env.bin, env.acct, env.log
	needsInit, err := prepareDataDir(dir, acct)
	if err != nil {
		return nil, err
	}
	if needsInit {
		if err := initdb(ctx, bin, dir, opts.Throwaway, acct, log); err != nil {
			return nil, err
		}
	}

	for attempt := 1; ; attempt++ {
		port := opts.Port
		if port == 0 {
			if port, err = freePort(); err != nil {
				return nil, fmt.Errorf("start postgres in %s: %w", dir, err)
			}
		}
		c, err := launch(ctx, bin, dir, port, opts.Throwaway, acct, log)
		if err == nil {
			return c, nil
		}
		// A port we picked ourselves may have been taken in between.
		if opts.Port == 0 && attempt < 3 && errors.Is(err, errPortTaken) {
			continue
		}
		return nil, err
	}
}

var errPortTaken = errors.New("port already in use")

func launch(ctx context.Context, bin, dir string, port int, throwaway bool, acct *account, log *tailWriter) (*Cluster, error) {
	args := []string{
		"-D", dir,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		// No Unix socket: /var/run/postgresql may not be ours, and TCP on
		// loopback is all the URL needs.
		"-c", "unix_socket_directories=",
		"-c", "max_connections=200",
		"-c", "timezone=UTC",
	}
	// A dev server that loses its parent shuts down cleanly; a test server
	// has nothing worth a shutdown checkpoint.
	deathSig := syscall.SIGINT
	if throwaway {
		args = append(args,
			"-c", "fsync=off",
			"-c", "synchronous_commit=off",
			"-c", "full_page_writes=off",
		)
		deathSig = syscall.SIGQUIT
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = serverProcAttr(acct, deathSig)
	// Backends orphaned by a killed postmaster may hold the output pipe
	// for a moment; do not let Wait hang on them.
	cmd.WaitDelay = 5 * time.Second

	c := &Cluster{dir: dir, port: port, cmd: cmd, log: log, done: make(chan struct{})}
	started := make(chan error, 1)
	go c.run(started)
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start postgres in %s: %w", dir, err)
	}
	if err := c.waitReady(ctx); err != nil {
		c.kill()
		switch {
		case log.Contains(`lock file "postmaster.pid" already exists`):
			return nil, fmt.Errorf("start postgres in %s: %w", dir, ErrDirInUse)
		case log.Contains("could not bind") || log.Contains("Address already in use"):
			err = fmt.Errorf("%w: %w", errPortTaken, err)
		}
		return nil, fmt.Errorf("start postgres in %s on port %d: %w\n%s", dir, port, err, log.Tail())
	}
	return c, nil
}

// startEnv is what starting a server in a directory needs: the directory
// made absolute, the binaries, the account the server runs as (nil when
// it is this process's) and its log.
type startEnv struct {
	dir, bin string
	acct     *account
	log      *tailWriter
}

// prepare reads opts for starting a server, what naming it in errors. A
// directory the server's account cannot reach is refused first, so that
// a refusal leaves no directories behind.
func prepare(opts Options, what string) (startEnv, error) {
	if opts.Dir == "" {
		return startEnv{}, fmt.Errorf("start %s: no data directory given", what)
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return startEnv{}, fmt.Errorf("start %s in %s: %w", what, opts.Dir, err)
	}
	bin, err := FindBinaries()
	if err != nil {
		return startEnv{}, err
	}
	acct, err := serverAccount()
	if err != nil {
		return startEnv{}, err
	}
	if acct != nil {
		blocked, err := firstUnsearchable(dir, acct)
		if err != nil {
			return startEnv{}, err
		}
		if blocked != "" {
			return startEnv{}, fmt.Errorf("start %s in %s: the postgres OS user cannot reach it because %s denies it search permission; pick another directory (see UsableDir)", what, dir, blocked)
		}
	}
	return startEnv{dir: dir, bin: bin, acct: acct, log: newTailWriter(opts.Log)}, nil
}

// run starts the server and waits for it on a locked OS thread. Pdeathsig
// fires when the thread that forked the child exits, not the process, and
// the Go runtime terminates a thread whenever a goroutine that locked it
// ends. Forking from an arbitrary thread would let any unrelated
// LockOSThread user take the server down with it; owning the thread and
// staying blocked in Wait keeps it alive exactly as long as the server.
func (c *Cluster) run(started chan<- error) { runLocked(c.cmd, started, &c.waitErr, c.done) }

// runLocked starts cmd and waits for it on this goroutine's OS thread,
// locked for good (see Cluster.run); started gets the start's error, and
// done is closed once waitErr holds how the process ended.
func runLocked(cmd *exec.Cmd, started chan<- error, waitErr *error, done chan struct{}) {
	runtime.LockOSThread()
	// No UnlockOSThread: when this goroutine returns the process is gone,
	// and letting the runtime discard the thread is harmless.
	if err := cmd.Start(); err != nil {
		started <- err
		return
	}
	started <- nil
	*waitErr = cmd.Wait()
	close(done)
}

// URL returns a connection string for database on this server.
func (c *Cluster) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, url.PathEscape(database))
}

// Port is the loopback port the server listens on.
func (c *Cluster) Port() int { return c.port }

// Dir is the absolute data directory.
func (c *Cluster) Dir() string { return c.dir }

// Stop shuts the server down fast (SIGINT: open sessions are cut, the data
// is kept) and waits for it to exit, killing it if it takes too long. It is
// safe to call more than once.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() { c.stopErr = c.stop() })
	return c.stopErr
}

func (c *Cluster) stop() error {
	select {
	case <-c.done:
		return c.exitErr("postgres had already exited")
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop postgres in %s: %w", c.dir, err)
	}
	timer := time.NewTimer(stopTimeout)
	defer timer.Stop()
	select {
	case <-c.done:
		return c.exitErr("stop postgres")
	case <-timer.C:
		c.kill()
		return fmt.Errorf("stop postgres in %s: no exit within %s, killed it", c.dir, stopTimeout)
	}
}

// exitErr reports how the server exited; nil for a clean exit.
func (c *Cluster) exitErr(what string) error {
	err := c.waitErr
	if err == nil || errors.Is(err, exec.ErrWaitDelay) {
		return nil
	}
	return fmt.Errorf("%s in %s: %w\n%s", what, c.dir, err, c.log.Tail())
}

// kill ends the server at once and waits for it to be gone.
func (c *Cluster) kill() {
	_ = c.cmd.Process.Kill()
	<-c.done
}
