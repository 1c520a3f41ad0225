package channel

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"tracegate/core"
)

// RateLimit is an operator's send rate for a channel: PerSecond over the
// whole channel and PerChat to any one person; zero is no limit.
type RateLimit struct {
	PerSecond float64
	PerChat   float64
}

// pace is the pace a channel sends at: the operator's, else its own.
func (p *Pipeline) pace(ch Channel) core.Pace {
	limit, ok := p.cfg.Rates[ch.Name()]
	if !ok {
		return ch.Pace()
	}
	return core.Pace{Every: every(limit.PerSecond), PerChat: every(limit.PerChat)}
}

// every is the time between two sends at perSecond; 0 for no limit.
func every(perSecond float64) time.Duration {
	if perSecond <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / perSecond)
}

// ParseRates reads SEND_RATES: `telegram=30/1,twilio=1` is 30 sends a
// second over Telegram and 1 a second to any one chat, 1 a second over
// Twilio.
func ParseRates(s string) (map[string]RateLimit, error) {
	return parseByChannel(s, "channel=sends-per-second[/per-chat]", func(value string) (RateLimit, bool) {
		overall, perChat, hasChat := strings.Cut(value, "/")
		var limit RateLimit
		var err error
		limit.PerSecond, err = strconv.ParseFloat(overall, 64)
		if err == nil && hasChat {
			limit.PerChat, err = strconv.ParseFloat(perChat, 64)
		}
		return limit, err == nil && limit.PerSecond >= 0 && limit.PerChat >= 0
	})
}

// ParseWorkers reads SEND_WORKERS: `twilio=40,telegram=10` is 40 sends
// held at once over Twilio in each process, 10 over Telegram.
func ParseWorkers(s string) (map[string]int, error) {
	return parseByChannel(s, "channel=sends-at-once (1 to 1000)", func(value string) (int, bool) {
		n, err := strconv.Atoi(value)
		return n, err == nil && n >= 1 && n <= 1000
	})
}

// parseByChannel reads a comma-separated list of channel=value, each
// value read by parse; form names the item's form for the error.
func parseByChannel[T any](s, form string, parse func(value string) (T, bool)) (map[string]T, error) {
	byChannel := map[string]T{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, value, ok := strings.Cut(item, "=")
		name = strings.TrimSpace(name)
		v, valid := parse(strings.TrimSpace(value))
		if !ok || !valid || name == "" {
			return nil, fmt.Errorf("%q is not %s", item, form)
		}
		byChannel[name] = v
	}
	return byChannel, nil
}
