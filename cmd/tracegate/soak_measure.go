package main

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tracegate/bots/sms"
	"tracegate/core"
	"tracegate/core/postgres"
)

// capacity is what the soak's processes can complete over Twilio, as
// they measured it: the workers of every process over the mean time a
// send held one (tracegate_send_work_seconds). A process killed in the
// soak counts with the workers it had; 0 when nothing was measured.
func capacity(plan soakPlan, gateways []*soakGateway) float64 {
	var workers, seconds, sends float64
	label := `{channel="` + sms.TwilioAdapter.Name + `"}`
	for _, g := range gateways {
		if g.dead.Load() {
			continue
		}
		m, err := scrape(g.base + "/metrics")
		if err != nil {
			continue
		}
		// Every process has as many workers as the others.
		workers = m["tracegate_send_workers"+label]
		seconds += m["tracegate_send_work_seconds_sum"+label]
		sends += m["tracegate_send_work_seconds_count"+label]
	}
	if sends == 0 {
		return 0
	}
	return float64(plan.Processes) * workers / (seconds / sends)
}

// scrape reads a Prometheus text page's samples by name and labels.
func scrape(url string) (map[string]float64, error) {
	client := http.Client{Timeout: 5 * time.Second}
	res, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	samples := map[string]float64{}
	lines := bufio.NewScanner(res.Body)
	lines.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for lines.Scan() {
		line := lines.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		if v, err := strconv.ParseFloat(value, 64); ok && err == nil {
			samples[name] = v
		}
	}
	return samples, lines.Err()
}

// countDelivered waits, up to half a minute without progress, for the
// status callbacks of the answered replies, and counts the replies whose
// "delivered" is recorded.
func countDelivered(ctx context.Context, db *postgres.DB, b *soakBurst) (int, error) {
	progress, last := time.Now(), -1
	for {
		statuses, err := db.OutboundByStatus(ctx, sms.TwilioAdapter.Name)
		if err != nil {
			return 0, err
		}
		n := statuses[core.StatusDelivered]
		if n > last {
			progress, last = time.Now(), n
		}
		if n >= int(b.count.Load()) || time.Since(progress) > 30*time.Second {
			return n, nil
		}
		time.Sleep(200 * time.Millisecond)
	}
}
