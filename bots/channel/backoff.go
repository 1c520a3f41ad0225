package channel

import "time"

// backoff doubles the wait from first at each failed attempt, up to an
// hour: a provider down for a while is tried less and less often.
type backoff struct{ first time.Duration }

// after is the wait after the given failed attempt.
func (b backoff) after(attempt int) time.Duration {
	wait := b.first
	for i := 1; i < attempt && wait < time.Hour; i++ {
		wait *= 2
	}
	return min(wait, time.Hour)
}
