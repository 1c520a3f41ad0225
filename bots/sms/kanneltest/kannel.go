package kanneltest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// startTimeout bounds Start; it takes about a second.
	startTimeout = 30 * time.Second
	// stopGrace is how long SIGTERM has before SIGKILL; bearerbox needs
	// about two seconds.
	stopGrace = 5 * time.Second
	// startAttempts: Start tries again on fresh ports when a program dies
	// while starting, which a port taken in the meantime causes.
	startAttempts = 3
)

// errExited marks a start that failed because a program died.
var errExited = errors.New("exited while starting")

// Kannel is a running bearerbox, smsbox and fakesmsc on loopback.
type Kannel struct {
	dir   string
	ports ports
	opts  Options
	procs []*proc
	phone *phone
	up    bool // started: a failed start has already told its logs
	once  sync.Once
}

// Start writes a kannel.conf into t.TempDir(), picks free loopback ports,
// starts bearerbox, then smsbox and fakesmsc (the phone network, connected
// to bearerbox's fake SMSC), waits until all are connected and sendsms
// answers, and stops everything on t.Cleanup. A test should first skip
// when Available() says no.
func Start(t testing.TB, opts Options) *Kannel {
	t.Helper()
	paths, err := lookPaths()
	if err != nil {
		t.Fatal(err)
	}
	opts = opts.withDefaults()
	if err := opts.check(); err != nil {
		t.Fatal(err)
	}
	for attempt := 1; ; attempt++ {
		began := time.Now()
		k, err := launch(t, paths, opts)
		if err == nil {
			t.Logf("kanneltest: Kannel up in %v (sendsms on port %d)", time.Since(began).Round(time.Millisecond), k.ports.sendsms)
			return k
		}
		if attempt == startAttempts || !errors.Is(err, errExited) {
			t.Fatal(err)
		}
		t.Logf("kanneltest: attempt %d: %v; trying other ports", attempt, err)
	}
}

// launch makes one attempt at Start; on failure it has stopped what it
// started, and the error carries the programs' last log lines.
func launch(t testing.TB, paths map[string]string, opts Options) (*Kannel, error) {
	p, err := freePorts()
	if err != nil {
		return nil, err
	}
	k := &Kannel{dir: t.TempDir(), ports: p, opts: opts}
	conf := filepath.Join(k.dir, "kannel.conf")
	if err := os.WriteFile(conf, []byte(config(k.dir, p, opts)), 0o644); err != nil {
		return nil, err
	}
	// Cleanups run last-in first-out: this one runs before t.TempDir's,
	// so the programs have stopped writing there when it is removed.
	t.Cleanup(func() { k.stop(t) })

	err = k.run(paths, conf)
	if err != nil {
		k.stop(nil)
		return nil, fmt.Errorf("kanneltest: %w\n%s", err, k.diagnostics())
	}
	k.up = true
	return k, nil
}

// run starts the three programs in the order they need each other.
func (k *Kannel) run(paths map[string]string, conf string) error {
	deadline := time.Now().Add(startTimeout)
	logMu := &sync.Mutex{}
	out := func(name string) *prefixer {
		return &prefixer{mu: logMu, w: k.opts.Log, prefix: name + ": "}
	}
	// -v 1: info and above on the console; the log files get debug.
	bb, err := startProc("bearerbox", paths["bearerbox"], []string{"-v", "1", conf}, k.dir, nil, out("bearerbox"))
	if err != nil {
		return err
	}
	k.procs = append(k.procs, bb)
	// fakesmsc gives up at once if nobody listens on the fake SMSC port,
	// which bearerbox opens while creating its SMSC connections.
	err = k.waitFor(deadline, "bearerbox's fake SMSC", func() bool {
		s, err := k.status()
		return err == nil && strings.Contains(s, "FAKE:")
	})
	if err != nil {
		return err
	}
	sb, err := startProc("smsbox", paths["smsbox"], []string{"-v", "1", conf}, k.dir, nil, out("smsbox"))
	if err != nil {
		return err
	}
	k.procs = append(k.procs, sb)
	k.phone, err = startPhone(paths["fakesmsc"], k.ports.fake, k.dir, out("fakesmsc"))
	if err != nil {
		return err
	}
	k.procs = append(k.procs, k.phone.proc)
	// Until smsbox is connected, sendsms queues; until fakesmsc is, the
	// SMSC is not online and bearerbox holds messages for it.
	err = k.waitFor(deadline, "smsbox and fakesmsc to connect", func() bool {
		s, err := k.status()
		return err == nil && strings.Contains(s, "<type>smsbox</type>") && strings.Contains(s, "<status>online")
	})
	if err != nil {
		return err
	}
	return k.waitFor(deadline, "sendsms to answer", k.sendsmsAnswers)
}

// waitFor polls ready until deadline, failing early when a program dies.
func (k *Kannel) waitFor(deadline time.Time, what string, ready func() bool) error {
	for {
		if ready() {
			return nil
		}
		for _, p := range k.procs {
			if p.exited() {
				return fmt.Errorf("waiting for %s: %s %w (%v)", what, p.name, errExited, p.err)
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waiting for %s: no sign after %v", what, startTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the programs once; with t given and failed, it logs their
// last lines, since t.TempDir goes with the log files.
func (k *Kannel) stop(t testing.TB) {
	k.once.Do(func() {
		stopAll(k.procs, stopGrace)
		if k.phone != nil {
			k.phone.stdin.Close()
			<-k.phone.read
		}
	})
	if t != nil && k.up && t.Failed() {
		t.Logf("kanneltest: last lines of Kannel's logs:\n%s", k.diagnostics())
	}
}

// diagnostics gives the last lines of each program's log.
func (k *Kannel) diagnostics() string {
	var b strings.Builder
	for _, name := range []string{"bearerbox.log", "smsbox.log"} {
		data, err := os.ReadFile(filepath.Join(k.dir, name))
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		fmt.Fprintf(&b, "--- %s\n%s\n", name, strings.Join(lines[max(0, len(lines)-tailLines):], "\n"))
	}
	if k.phone != nil {
		fmt.Fprintf(&b, "--- fakesmsc\n%s\n", strings.Join(k.phone.outputTail(), "\n"))
	}
	return b.String()
}

// SendsmsURL is smsbox's sendsms interface, for the gateway's config.
func (k *Kannel) SendsmsURL() string {
	return fmt.Sprintf("http://127.0.0.1:%d/cgi-bin/sendsms", k.ports.sendsms)
}

// Received returns the SMS that fakesmsc got from Kannel so far, in order:
// what the gateway sent, as phones get it.
func (k *Kannel) Received() []SMS {
	msgs, _, _ := k.phone.received()
	return msgs
}

// WaitReceived waits up to timeout until at least n SMS have reached
// fakesmsc, and returns them all; on timeout, those that came and an
// error.
func (k *Kannel) WaitReceived(n int, timeout time.Duration) ([]SMS, error) {
	deadline := time.Now().Add(timeout)
	for {
		msgs, changed, eof := k.phone.received()
		if len(msgs) >= n {
			return msgs, nil
		}
		if eof {
			return msgs, fmt.Errorf("kanneltest: fakesmsc exited with %d of %d SMS received", len(msgs), n)
		}
		left := time.Until(deadline)
		if left <= 0 {
			return msgs, fmt.Errorf("kanneltest: %d of %d SMS reached fakesmsc within %v", len(msgs), n, timeout)
		}
		select {
		case <-changed:
		case <-time.After(min(kickEvery, left)):
			k.phone.kick()
		}
	}
}
