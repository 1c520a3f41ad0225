package main

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"tracegate/bots/sms/twiliotest"
	"tracegate/core"
)

// soakBurst is the consumers of a soak, each texting one code once, as
// Twilio delivers them: to the gateways in turn, sixteen at a time, and
// again to another gateway when one does not acknowledge.
type soakBurst struct {
	plan     soakPlan
	codes    []core.Code
	gateways []*soakGateway

	acked  sync.Map // sender -> true
	count  atomic.Int64
	killed atomic.Int64 // unix nanoseconds of the kill; 0 before
}

func (b *soakBurst) send() {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < b.plan.Messages; i = int(next.Add(1)) - 1 {
				b.deliver(i)
			}
		}()
	}
	wg.Wait()
}

// deliver tries message i on each gateway from its own on, as Twilio
// retries one that failed; a message no gateway acknowledged is not
// counted.
func (b *soakBurst) deliver(i int) {
	for try := range len(b.gateways) {
		g := b.gateways[(i+try)%len(b.gateways)]
		if g.dead.Load() || !b.post(g, i) {
			continue
		}
		b.acked.Store(soakSender(i), true)
		if b.count.Add(1) == int64(b.plan.Messages/3) && b.plan.Kill {
			b.kill()
		}
		return
	}
}

func (b *soakBurst) post(g *soakGateway, i int) bool {
	form := twiliotest.Inbound(soakAccount, soakNumber, fmt.Sprintf("SMsoak%08d", i), soakSender(i),
		string(b.codes[i%len(b.codes)]))
	req, _ := http.NewRequest("POST", g.base+"/sms/twilio", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliotest.Sign(soakToken, g.base+"/sms/twilio", form))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

func (b *soakBurst) kill() {
	g := b.gateways[0]
	g.dead.Store(true)
	g.cmd.Process.Signal(syscall.SIGKILL)
	b.killed.Store(time.Now().UnixNano())
}

// wait waits until every acknowledged sender has an answer at Twilio, or
// until a minute passes with no new answer, and counts.
func (b *soakBurst) wait(twilio *twiliotest.Server, start time.Time) *soakResult {
	r := &soakResult{Plan: b.plan, Acknowledged: int(b.count.Load()),
		Ideal: time.Duration(float64(b.plan.Messages) / b.plan.Rate * float64(time.Second))}
	progress, answered := time.Now(), -1
	for {
		answers := map[string]int{}
		var last time.Time
		for _, m := range twilio.Messages() {
			answers[m.Form.Get("To")]++
			last = m.At
		}
		r.Answered, r.Doubled = 0, 0
		b.acked.Range(func(sender, _ any) bool {
			if n := answers[sender.(string)]; n > 0 {
				r.Answered++
				r.Doubled += n - 1
			}
			return true
		})
		r.Drain = last.Sub(start)
		if killed := b.killed.Load(); killed > 0 {
			r.AfterKill = last.Sub(time.Unix(0, killed))
		}
		if r.Answered > answered {
			progress, answered = time.Now(), r.Answered
		}
		if r.Answered == r.Acknowledged || time.Since(progress) > time.Minute {
			return r
		}
		time.Sleep(100 * time.Millisecond)
	}
}
