package channel

import (
	"time"

	"github.com/riverqueue/river/rivertype"
)

// backoff doubles the wait from first at each failed attempt, up to an
// hour: a provider down for a while is tried less and less often.
type backoff struct{ first time.Duration }

func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	wait := b.first
	for i := 1; i < job.Attempt && wait < time.Hour; i++ {
		wait *= 2
	}
	return time.Now().Add(min(wait, time.Hour))
}
