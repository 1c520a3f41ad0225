package channeltest

import (
	"sync/atomic"
	"time"
)

// DefaultLatency is how long a fake provider answers in unless a test
// says otherwise: real APIs take tens to hundreds of milliseconds, and a
// fake that answers at once would hide sends outrunning their workers.
const DefaultLatency = 20 * time.Millisecond

// Latency is a fake provider's answer time, which a test may change while
// the fake serves. The zero value is DefaultLatency; Set(0) answers at once.
type Latency struct {
	d   atomic.Int64
	set atomic.Bool
}

// Set makes every later answer take d.
func (l *Latency) Set(d time.Duration) {
	l.d.Store(int64(d))
	l.set.Store(true)
}

// Wait spends an answer's time. Called outside the fake's lock, requests
// overlap as they do at the provider.
func (l *Latency) Wait() {
	d := DefaultLatency
	if l.set.Load() {
		d = time.Duration(l.d.Load())
	}
	time.Sleep(d)
}
