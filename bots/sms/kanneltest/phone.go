package kanneltest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// injectTimeout bounds how long Inject waits for fakesmsc to pass a
	// line on; it takes milliseconds.
	injectTimeout = 10 * time.Second
	// kickEvery is how often a waiting Inject or WaitReceived writes an
	// empty line to fakesmsc (see phone).
	kickEvery = 100 * time.Millisecond
	// tailLines of fakesmsc's output are kept for a failed test's log.
	tailLines = 40
	// settle is how long a text SMS stays unreported in case a line of
	// its own follows (see inbox); fakesmsc logs such lines back to back.
	settle = 100 * time.Millisecond
)

var (
	sentRE = regexp.MustCompile(`fakesmsc: sent message (\d+)`)
	gotRE  = regexp.MustCompile(`Got message \d+: <(.*)>$`)
)

// phone is fakesmsc in interactive mode, the mobile network: each line
// on its stdin goes to bearerbox as an SMS, and each SMS from bearerbox is
// logged as "Got message N: <line>".
//
// Its loop waits up to a second on stdin, then reads what bearerbox sent.
// It reads stdin through stdio, so when two lines arrive together the
// second stays buffered, unseen, until more input comes. Hence Inject
// writes one line at a time and waits for fakesmsc's "sent message N";
// and whoever waits writes an empty line every kickEvery: fakesmsc skips
// empty lines, but each one wakes it to take a buffered line and to read
// bearerbox at once rather than in up to a second.
type phone struct {
	proc  *proc
	stdin io.WriteCloser

	writeMu sync.Mutex // one writer on stdin; Inject holds it until its line is sent
	lines   int        // lines written, which fakesmsc counts as sent

	mu      sync.Mutex
	changed chan struct{} // closed and replaced when the fields below change
	sent    int           // fakesmsc's count of lines passed to bearerbox
	inbox   *inbox
	lastGot time.Time // when the inbox last took a line
	tail    []string
	eof     bool          // fakesmsc's output has ended: it has exited
	read    chan struct{} // closed when the output reader is done
}

// startPhone runs fakesmsc against bearerbox's fake SMSC on port.
func startPhone(path string, port int, dir string, log io.Writer) (*phone, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	// -v 0: "sent message" and "Got message" are debug lines.
	args := []string{"-H", "127.0.0.1", "-r", strconv.Itoa(port), "-i", "0", "-v", "0"}
	p, err := startProc("fakesmsc", path, args, dir, inR, outW)
	// The child has its own copies now; the parent's would keep the
	// pipes open after fakesmsc exits.
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, err
	}
	ph := &phone{proc: p, stdin: inW, changed: make(chan struct{}), inbox: newInbox(), read: make(chan struct{})}
	go ph.readOutput(outR, log)
	return ph, nil
}

// readOutput follows fakesmsc's output until it exits.
func (ph *phone) readOutput(r *os.File, log io.Writer) {
	defer close(ph.read)
	defer r.Close()
	br := bufio.NewReaderSize(r, 64*1024)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			io.WriteString(log, line)
			ph.take(strings.TrimRight(line, "\r\n"))
		}
		if err != nil {
			break
		}
	}
	ph.mu.Lock()
	ph.eof = true
	ph.notifyLocked()
	ph.mu.Unlock()
}

func (ph *phone) take(line string) {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	ph.tail = append(ph.tail, line)
	if len(ph.tail) > tailLines {
		ph.tail = ph.tail[len(ph.tail)-tailLines:]
	}
	if m := sentRE.FindStringSubmatch(line); m != nil {
		n, _ := strconv.Atoi(m[1])
		ph.sent = max(ph.sent, n)
	} else if m := gotRE.FindStringSubmatch(line); m != nil {
		ph.inbox.add(m[1])
		ph.lastGot = time.Now()
	} else {
		return
	}
	ph.notifyLocked()
}

func (ph *phone) notifyLocked() {
	close(ph.changed)
	ph.changed = make(chan struct{})
}

// send writes one line and waits until fakesmsc has passed it on.
func (ph *phone) send(line string, timeout time.Duration) error {
	switch {
	case strings.ContainsAny(line, "\r\n"):
		return fmt.Errorf("kanneltest: fakesmsc line %q has a line break", line)
	case len(line) > maxLine:
		return fmt.Errorf("kanneltest: fakesmsc line is %d bytes, over its %d-byte limit", len(line), maxLine)
	case len(line) < 2:
		return fmt.Errorf("kanneltest: fakesmsc skips a line %q that short", line)
	}
	ph.writeMu.Lock()
	defer ph.writeMu.Unlock()
	if _, err := io.WriteString(ph.stdin, line+"\n"); err != nil {
		return fmt.Errorf("kanneltest: writing to fakesmsc: %w", err)
	}
	ph.lines++
	want := ph.lines
	deadline := time.Now().Add(timeout)
	for {
		ph.mu.Lock()
		sent, changed, eof := ph.sent, ph.changed, ph.eof
		ph.mu.Unlock()
		switch {
		case sent >= want:
			return nil
		case eof:
			return errors.New("kanneltest: fakesmsc exited before sending the SMS")
		case time.Now().After(deadline):
			return fmt.Errorf("kanneltest: fakesmsc did not send %q within %v", line, timeout)
		}
		select {
		case <-changed:
		case <-time.After(kickEvery):
			io.WriteString(ph.stdin, "\n")
		}
	}
}

// kick wakes fakesmsc unless an Inject is writing, which wakes it anyway.
func (ph *phone) kick() {
	if ph.writeMu.TryLock() {
		io.WriteString(ph.stdin, "\n")
		ph.writeMu.Unlock()
	}
}

// received returns a copy of the SMS so far, the channel that closes on
// the next change, and whether fakesmsc has exited. A text SMS that came
// last and less than settle ago is left out: the rest of it may follow.
func (ph *phone) received() ([]SMS, <-chan struct{}, bool) {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	msgs := ph.inbox.msgs
	if n := len(msgs); n > 0 && ph.inbox.textAt == n-1 && !ph.eof && time.Since(ph.lastGot) < settle {
		msgs = msgs[:n-1]
	}
	return append([]SMS(nil), msgs...), ph.changed, ph.eof
}

func (ph *phone) outputTail() []string {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	return append([]string(nil), ph.tail...)
}
