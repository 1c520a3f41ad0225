package main

import (
	"bytes"
	"context"
	"testing"

	"tracegate/bots/sms/twiliotest"
	"tracegate/core/postgres/pgtest"
)

// The soak in its short form: three gateways, one killed in the burst;
// every acknowledged lookup is answered and at most 1 % twice. A killed
// process doubles the sends Twilio had taken and not yet answered, about
// the rate times Twilio's latency: here the test fakes' 20 ms, one send.
func TestSoak(t *testing.T) {
	plan := soakPlan{Processes: 3, Messages: 300, Rate: 50, Kill: true, Latency: twiliotest.DefaultLatency,
		DatabaseURL: pgtest.NewURL(t), Spawn: spawnTestBinary}
	res, err := runSoak(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	res.print(&table)
	t.Logf("\n%s", table.String())
	if res.Acknowledged != plan.Messages || res.Answered != res.Acknowledged {
		t.Fatalf("%d sent, %d acknowledged, %d answered", plan.Messages, res.Acknowledged, res.Answered)
	}
	if res.Capacity <= 0 {
		t.Fatal("the soak measured no capacity")
	}
	if res.Doubled*100 > res.Acknowledged {
		t.Fatalf("%d of %d answers sent twice", res.Doubled, res.Acknowledged)
	}
}
