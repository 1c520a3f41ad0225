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
	if opts.Dir == "" {
		return nil, errors.New("start postgres: no data directory given")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("start postgres in %s: %w", opts.Dir, err)
	}
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	acct, err := serverAccount()
	if err != nil {
		return nil, err
	}
	log := newTailWriter(opts.Log)

	// Checked first so that a refusal leaves no directories behind.
	if acct != nil {
		blocked, err := firstUnsearchable(dir, acct)
		if err != nil {
			return nil, err
		}
		if blocked != "" {
			return nil, fmt.Errorf("start postgres in %s: the postgres OS user cannot reach it because %s denies it search permission; pick another directory (see UsableDir)", dir, blocked)
		}
	}
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

// run starts the server and waits for it on a locked OS thread. Pdeathsig
// fires when the thread that forked the child exits, not the process, and
// the Go runtime terminates a thread whenever a goroutine that locked it
// ends. Forking from an arbitrary thread would let any unrelated
// LockOSThread user take the server down with it; owning the thread and
// staying blocked in Wait keeps it alive exactly as long as the server.
func (c *Cluster) run(started chan<- error) {
	runtime.LockOSThread()
	// No UnlockOSThread: when this goroutine returns the server is gone,
	// and letting the runtime discard the thread is harmless.
	if err := c.cmd.Start(); err != nil {
		started <- err
		return
	}
	started <- nil
	c.waitErr = c.cmd.Wait()
	close(c.done)
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
