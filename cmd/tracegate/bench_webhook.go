package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"tracegate/bots/sms/twiliotest"
	"tracegate/core"
	"tracegate/core/postgres"
)

// benchGateway is a gateway served in this process as `serve` serves it
// (every channel's webhooks, the outbox, the workers), with Twilio on
// loopback: as New makes it, a long code sending one SMS a second, so no
// reply leaves during a webhook load; the end-to-end load sets it faster.
type benchGateway struct {
	base   string
	url    string // of the database
	db     *postgres.DB
	twilio *twiliotest.Server
	client *http.Client
	stop   func()
}

// benchSIDs numbers the inbound messages of every bench gateway in this
// process: a MessageSid is unique across Twilio, and a gateway takes one
// it has stored before for a retry, acknowledged and never answered.
var benchSIDs atomic.Int64

// startBenchGateway serves a gateway sending through twilio, which it
// closes when it stops; extra is added to its environment.
func startBenchGateway(ctx context.Context, db *postgres.DB, dbURL string, twilio *twiliotest.Server, extra map[string]string) (*benchGateway, error) {
	addr, err := freeLoopback()
	if err != nil {
		twilio.Close()
		return nil, err
	}
	env := map[string]string{"HTTP_ADDR": addr, "PUBLIC_BASE_URL": "http://" + addr, "ADMIN_TOKEN": "bench",
		"TWILIO_ACCOUNT_SID": soakAccount, "TWILIO_AUTH_TOKEN": soakToken, "TWILIO_FROM": soakNumber,
		"TWILIO_API_BASE": twilio.URL}
	maps.Copy(env, extra)
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		twilio.Close()
		return nil, fmt.Errorf("bench gateway's config: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	ready := make(chan struct{})
	served := make(chan error, 1)
	log := slog.New(slog.NewTextHandler(io.Discard, nil)) // formatted as in production, then dropped
	go func() { served <- serveDB(ctx, cfg, db, func(config) { close(ready) }, log) }()
	select {
	case <-ready:
	case err := <-served:
		cancel()
		twilio.Close()
		return nil, err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 1024 // Twilio keeps its connections, as a client pool does
	g := &benchGateway{base: "http://" + addr, url: dbURL, db: db, twilio: twilio, client: &http.Client{Transport: transport}}
	g.stop = func() { cancel(); <-served; twilio.Close() }
	return g, nil
}

// lookup texts one of codes from one of 100,000 consumers, signed as
// Twilio signs it, and says whether the gateway acknowledged it.
func (g *benchGateway) lookup(codes []core.Code) error {
	i := benchSIDs.Add(1)
	form := twiliotest.Inbound(soakAccount, soakNumber, fmt.Sprintf("SMbench%012d", i),
		fmt.Sprintf("+8497%07d", rand.IntN(100_000)), string(codes[rand.IntN(len(codes))]))
	req, err := http.NewRequest("POST", g.base+"/sms/twilio", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliotest.Sign(soakToken, g.base+"/sms/twilio", form))
	res, err := g.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return errors.New(res.Status)
	}
	return nil
}

// webhookLoads measures lookups through the webhook: as many as it takes
// with the plan's clients, then at half that rate for the latency.
func webhookLoads(g *benchGateway, codes []core.Code, plan benchPlan) (full, half loadResult, each cost, err error) {
	op := func(int) error { return g.lookup(codes) }
	closedLoop(plan.Clients, time.Second, op) // warm: connections, plans, caches
	// Plans made on the empty messages table would stay until autovacuum
	// looks at it; a day of traffic gives the planner its figures.
	if _, err := g.db.Pool.Exec(context.Background(), `ANALYZE messages`); err != nil {
		return full, half, each, err
	}
	stop, err := profileTo(plan.CPUProfile)
	if err != nil {
		return full, half, each, err
	}
	defer stop()
	meter := costMeter{g.url}
	before, err := meter.now(context.Background())
	if err != nil {
		return full, half, each, err
	}
	full = closedLoop(plan.Clients, plan.Duration, op)
	if each, err = meter.since(context.Background(), before, full.Done); err != nil {
		return full, half, each, err
	}
	half = paced(full.rate()/2, plan.Duration, op)
	if full.Failed > 0 || half.Failed > 0 {
		err = fmt.Errorf("webhook: %d and then %d of the lookups were not acknowledged", full.Failed, half.Failed)
	}
	return full, half, each, err
}

// serviceLoads measures the lookup service called directly beside the
// one bare statement it stands on: find the stamp with its lot, product
// and facility, and record the lookup.
func serviceLoads(ctx context.Context, w *benchWorld, plan benchPlan) (service, bare loadResult) {
	code := func() core.Code { return w.codes[rand.IntN(len(w.codes))] }
	service = closedLoop(plan.Clients, plan.Duration, func(int) error {
		sender := core.URN(fmt.Sprintf("tel:+8497%07d", rand.IntN(100_000)))
		_, err := w.s.Lookups.Lookup(ctx, core.LookupRequest{Input: string(code()), Channel: "sms", Sender: sender})
		return err
	})
	bare = closedLoop(plan.Clients, plan.Duration, func(int) error {
		var name string
		return w.db.Pool.QueryRow(ctx, `
			WITH found AS (
				SELECT p.name FROM stamps s
				JOIN lots l ON l.id = s.lot_id JOIN products p ON p.id = l.product_id
				JOIN facilities f ON f.id = s.facility_id
				WHERE s.code = $1
			), logged AS (
				INSERT INTO lookups (code, verdict, channel, urn_hash) VALUES ($1, 'genuine', 'sms', '\x00')
			)
			SELECT name FROM found`, string(code())).Scan(&name)
	})
	return service, bare
}

// profileTo writes this process's CPU profile to path until stop is
// called; with no path, nothing.
func profileTo(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
