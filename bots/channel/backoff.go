package channel

import (
	"time"

	"github.com/riverqueue/river/rivertype"
)

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

// NextRetry is River's retry policy, for a job that failed before its send
// (the database did not answer).
func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(b.after(job.Attempt))
}
