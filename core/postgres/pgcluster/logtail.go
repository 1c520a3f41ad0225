package pgcluster

import (
	"bytes"
	"io"
	"sync"
)

const tailBytes = 4096

// tailWriter forwards server output to the caller's log and keeps the last
// few kilobytes, so a failed start can say why without the caller having to
// keep a log.
type tailWriter struct {
	mu   sync.Mutex
	dst  io.Writer
	tail []byte
}

func newTailWriter(dst io.Writer) *tailWriter {
	if dst == nil {
		dst = io.Discard
	}
	return &tailWriter{dst: dst}
}

// Write never fails: an error here would break the pipe to the server,
// and a broken log must not take the database down with it.
func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = t.dst.Write(p)
	t.tail = append(t.tail, p...)
	if over := len(t.tail) - tailBytes; over > 0 {
		t.tail = append(t.tail[:0], t.tail[over:]...)
	}
	return len(p), nil
}

// Tail returns the last lines written, whole lines only.
func (t *tailWriter) Tail() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.tail
	if len(b) == tailBytes {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(bytes.TrimRight(b, "\n"))
}

func (t *tailWriter) Contains(s string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return bytes.Contains(t.tail, []byte(s))
}
