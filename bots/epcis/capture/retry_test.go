package capture

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"": 0, "0": 0, "120": 2 * time.Minute, "soon": 0, "-5": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("Retry-After %q is %s, want %s", v, got, want)
		}
	}
}

func TestBackoffDoublesToAnHour(t *testing.T) {
	p := New(Config{FirstRetry: 2 * time.Second})
	for attempt, want := range map[int]time.Duration{1: 2 * time.Second, 2: 4 * time.Second, 5: 32 * time.Second, 30: time.Hour} {
		if got := p.backoff(attempt); got != want {
			t.Errorf("after attempt %d wait %s, want %s", attempt, got, want)
		}
	}
}
