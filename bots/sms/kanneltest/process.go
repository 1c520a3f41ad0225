package kanneltest

import (
	"bytes"
	"io"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// proc is one running Kannel program.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed once the program has exited
	err  error         // its exit, once done is closed
}

// startProc runs path with args in dir, reading stdin (nil: none).
// Output goes to out; nil discards it (the programs also log to files in
// dir).
func startProc(name, path string, args []string, dir string, stdin io.Reader, out io.Writer) (*proc, error) {
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stopAll sends SIGTERM to every program at once (bearerbox alone takes
// about two seconds to shut down, so one after another would add up),
// then SIGKILL to those still running after grace.
func stopAll(ps []*proc, grace time.Duration) {
	for _, p := range ps {
		if !p.exited() {
			p.cmd.Process.Signal(syscall.SIGTERM)
		}
	}
	deadline := time.After(grace)
	for _, p := range ps {
		select {
		case <-p.done:
		case <-deadline:
			p.cmd.Process.Kill()
			<-p.done
		}
	}
}

// prefixer writes each whole line to w behind a prefix, under a lock
// shared by all programs so that their lines do not interleave.
type prefixer struct {
	mu     *sync.Mutex
	w      io.Writer
	prefix string
	buf    []byte
}

func (p *prefixer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexByte(p.buf, '\n')
		if i < 0 {
			break
		}
		io.WriteString(p.w, p.prefix)
		p.w.Write(p.buf[:i+1])
		p.buf = p.buf[i+1:]
	}
	return len(b), nil
}
