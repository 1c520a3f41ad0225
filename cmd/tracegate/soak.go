package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"tracegate/bots/sms"
	"tracegate/bots/sms/twiliotest"
	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgcluster"
)

// A soak runs the gateway as an operator would: several `serve` processes
// on one throwaway database, Twilio on loopback with a long code's pace,
// a burst of consumers texting codes through the signed webhook, and
// optionally one process killed in the middle of it.
type soakPlan struct {
	Processes int
	Messages  int
	Rate      float64 // sends a second over the Twilio number
	Kill      bool    // SIGKILL the first process once a third is acknowledged
	// Latency is how long Twilio takes to answer a send; Lose, the share
	// of its answers the network loses after Twilio took the message.
	Latency time.Duration
	Lose    float64
	// Workers are the sends each process holds at once (SEND_WORKERS);
	// 0 for the channel's own.
	Workers int
	// DatabaseURL, when set (by tests), is a throwaway database to use;
	// else a private cluster is started in a temporary directory.
	DatabaseURL string
	// Spawn makes a gateway process run `serve` with env added.
	Spawn func(env []string) *exec.Cmd
}

// soakResult is what the soak measured.
type soakResult struct {
	Plan                               soakPlan
	Acknowledged, Answered, Doubled    int
	Drain, Ideal, AfterKill, OldestAge time.Duration
	Late                               int // sends Twilio got before the number was free
	Lost                               int // answers the network lost after Twilio took the message
	// Capacity is what the workers can complete, measured: the workers
	// of every process over the mean time one send held its worker.
	Capacity  float64
	Delivered int // replies whose "delivered" report is recorded
}

// maxSoakMessages bounds a burst: a hundred thousand consumers is a
// province's busiest day in minutes.
const maxSoakMessages = 100_000

const (
	soakAccount = "AC00000000000000000000000000000050"
	soakToken   = "50a450a450a450a450a450a450a450a4"
	soakNumber  = "+15005550006"
)

func soak(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.SetOutput(out)
	// Always a private cluster: a soak writes thousands of messages and
	// lookups, and DATABASE_URL may name a database that matters.
	plan := soakPlan{Spawn: spawnSelf}
	fs.IntVar(&plan.Processes, "processes", 2, "gateway processes")
	fs.IntVar(&plan.Messages, "messages", 60, "consumers texting a code at once")
	fs.Float64Var(&plan.Rate, "rate", 1, "sends a second over the Twilio number")
	fs.BoolVar(&plan.Kill, "kill", false, "SIGKILL one process once a third of the burst is acknowledged")
	fs.DurationVar(&plan.Latency, "latency", 200*time.Millisecond, "how long Twilio takes to answer a send")
	fs.Float64Var(&plan.Lose, "lose", 0, "the share of Twilio's answers the network loses after Twilio took the message")
	fs.IntVar(&plan.Workers, "workers", 0, "sends each process holds at once (SEND_WORKERS); 0 for Twilio's own")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if plan.Processes < 1 || plan.Messages < 1 || plan.Messages > maxSoakMessages || plan.Rate <= 0 ||
		(plan.Kill && plan.Processes < 2) || plan.Latency < 0 || plan.Lose < 0 || plan.Lose >= 1 || plan.Workers < 0 {
		return fmt.Errorf("soak needs processes >= 1 (2 with --kill), messages 1 to %d, rate > 0, latency >= 0, lose in [0, 1): %w",
			maxSoakMessages, errUsage)
	}
	res, err := runSoak(ctx, plan)
	if err != nil {
		return err
	}
	res.print(out)
	return nil
}

// spawnSelf runs this binary's serve.
func spawnSelf(env []string) *exec.Cmd {
	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	cmd := exec.Command(self, "serve")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

func runSoak(ctx context.Context, plan soakPlan) (*soakResult, error) {
	dir, err := os.MkdirTemp("", "tracegate-soak-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	dbURL, stopDB, err := soakDatabase(ctx, plan.DatabaseURL, dir)
	if err != nil {
		return nil, err
	}
	defer stopDB()
	db, err := openDB(ctx, dbURL, postgres.Direct, discardLog)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	codes, err := soakCodes(ctx, postgres.NewServices(db))
	if err != nil {
		return nil, err
	}
	twilio := twiliotest.New(soakAccount)
	defer twilio.Close()
	twilio.SendsEvery(time.Duration(float64(time.Second) / plan.Rate))
	twilio.Latency(plan.Latency)
	twilio.LoseAnswers(plan.Lose)
	twilio.ReportStatus(soakToken, statusCallbackAfter, statusCallbackSenders)
	gateways, err := startGateways(plan, dir, dbURL, twilio.URL)
	defer stopGateways(gateways)
	if err != nil {
		return nil, err
	}
	b := &soakBurst{plan: plan, codes: codes, gateways: gateways}
	start := time.Now()
	oldest := watchOldest(ctx, db)
	b.send()
	res := b.wait(twilio, start)
	res.OldestAge = oldest()
	res.Late, res.Lost = twilio.Late(), twilio.Lost()
	res.Capacity = capacity(plan, gateways)
	if res.Capacity > 0 {
		res.Ideal = max(res.Ideal, time.Duration(float64(plan.Messages)/res.Capacity*float64(time.Second)))
	}
	res.Delivered, err = countDelivered(ctx, db, b)
	return res, err
}

var discardLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// soakDatabase is the given throwaway database, else a private cluster
// in dir.
func soakDatabase(ctx context.Context, url, dir string) (string, func(), error) {
	if url != "" {
		return url, func() {}, nil
	}
	dataDir, _, err := pgcluster.UsableDir(filepath.Join(dir, "pgdata"))
	if err != nil {
		return "", nil, err
	}
	c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dataDir, Log: io.Discard})
	if err != nil {
		return "", nil, err
	}
	stop := func() { c.Stop(); os.RemoveAll(dataDir) }
	url, err = ensureDatabase(ctx, c, "soak")
	if err != nil {
		stop()
		return "", nil, err
	}
	return url, stop, nil
}

// soakCodes loads the demo and returns the codes of its activated stamps.
func soakCodes(ctx context.Context, s core.Services) ([]core.Code, error) {
	if _, err := loadDemo(ctx, s); err != nil {
		return nil, err
	}
	facilities, err := s.Facilities.FindFacilities(ctx)
	if err != nil {
		return nil, err
	}
	var codes []core.Code
	for _, f := range facilities {
		stamps, err := s.Stamps.FindStamps(ctx, f.ID, core.SerialRange{From: 1, To: 1000})
		if err != nil {
			return nil, err
		}
		for _, st := range stamps {
			if st.State == core.StampActivated {
				codes = append(codes, st.Code)
			}
		}
	}
	if len(codes) == 0 {
		return nil, errors.New("soak: the demo has no activated stamp")
	}
	return codes, nil
}

// soakGateway is one `serve` process of the soak.
type soakGateway struct {
	cmd  *exec.Cmd
	base string
	dead atomic.Bool
}

func startGateways(plan soakPlan, dir, dbURL, twilioURL string) ([]*soakGateway, error) {
	var gateways []*soakGateway
	for i := range plan.Processes {
		addr, err := freeLoopback()
		if err != nil {
			return gateways, err
		}
		env := []string{"SEND_WORKERS=" + workersOf(plan), "DATABASE_URL=" + dbURL, "HTTP_ADDR=" + addr, "PUBLIC_BASE_URL=http://" + addr,
			"TWILIO_ACCOUNT_SID=" + soakAccount, "TWILIO_AUTH_TOKEN=" + soakToken, "TWILIO_FROM=" + soakNumber,
			"TWILIO_API_BASE=" + twilioURL, fmt.Sprintf("SEND_RATES=twilio=%g", plan.Rate), "FLOOD_LIMIT=0",
			"TELEGRAM_BOT_TOKEN=", "KANNEL_SENDSMS_URL=", "ADMIN_TOKEN=soak"}
		cmd := plan.Spawn(env)
		logFile, err := os.Create(filepath.Join(dir, fmt.Sprintf("gateway-%d.log", i)))
		if err != nil {
			return gateways, err
		}
		cmd.Stdout, cmd.Stderr = logFile, logFile
		if err := cmd.Start(); err != nil {
			return gateways, fmt.Errorf("start gateway %d: %w", i, err)
		}
		g := &soakGateway{cmd: cmd, base: "http://" + addr}
		gateways = append(gateways, g)
		if err := waitHealthy(g.base); err != nil {
			return gateways, fmt.Errorf("gateway %d: %w", i, err)
		}
	}
	return gateways, nil
}

// workersOf is the soak's SEND_WORKERS: empty for Twilio's own.
func workersOf(plan soakPlan) string {
	if plan.Workers == 0 {
		return ""
	}
	return fmt.Sprintf("%s=%d", sms.TwilioAdapter.Name, plan.Workers)
}

func freeLoopback() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitHealthy(base string) error {
	for range 300 {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("not ready after 30s")
}

// stopGateways stops each process as an operator would (SIGTERM), and
// kills what does not stop.
func stopGateways(gateways []*soakGateway) {
	for _, g := range gateways {
		if !g.dead.Load() {
			g.cmd.Process.Signal(syscall.SIGTERM)
		}
	}
	for _, g := range gateways {
		done := make(chan struct{})
		go func() { g.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(40 * time.Second):
			g.cmd.Process.Kill()
			<-done
		}
	}
}

// watchOldest samples the age of the oldest queued message until the
// returned function is called, which says the largest seen.
func watchOldest(ctx context.Context, db *postgres.DB) func() time.Duration {
	var mu sync.Mutex
	var oldest time.Duration
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			if queued, err := db.Queued(ctx, []string{sms.TwilioAdapter.Name}); err == nil && len(queued) > 0 {
				mu.Lock()
				oldest = max(oldest, queued[0].Oldest)
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-time.After(250 * time.Millisecond):
			}
		}
	}()
	return func() time.Duration {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return oldest
	}
}

func (r *soakResult) print(out io.Writer) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "processes\trate/s\tlatency\tcapacity/s\tkill\tsent\tacknowledged\tanswered\tdelivered\tdoubled\tlost answers\tdrain\tideal\tdrain/ideal\tkill to last answer\toldest queued\tlate at Twilio")
	after := "-"
	if r.Plan.Kill {
		after = r.AfterKill.Round(100 * time.Millisecond).String()
	}
	fmt.Fprintf(tw, "%d\t%g\t%s\t%.0f\t%v\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%.2f\t%s\t%s\t%d\n", r.Plan.Processes, r.Plan.Rate,
		r.Plan.Latency, r.Capacity, r.Plan.Kill, r.Plan.Messages, r.Acknowledged, r.Answered, r.Delivered, r.Doubled, r.Lost,
		r.Drain.Round(100*time.Millisecond), r.Ideal.Round(100*time.Millisecond), r.Drain.Seconds()/r.Ideal.Seconds(),
		after, r.OldestAge.Round(100*time.Millisecond), r.Late)
	tw.Flush()
	fmt.Fprintln(out, "ideal is max(N/rate, N/capacity); capacity is the workers of every process over the mean time a send held one")
}

func soakSender(i int) string { return fmt.Sprintf("+8497%07d", i) }
