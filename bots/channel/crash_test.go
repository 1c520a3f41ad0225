package channel_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/core"
	"tracegate/core/postgres"
)

// childEnv makes the test binary a gateway process: a webhook that calls
// Receive and answers 200 after the commit, and send workers.
const childEnv = "TRACEGATE_TEST_GATEWAY"

func runChildGateway() {
	ctx := context.Background()
	db, err := postgres.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fake := &fakeChannel{url: os.Getenv("PROVIDER_URL")}
	fake.every, _ = time.ParseDuration(os.Getenv("SEND_EVERY"))
	deadAfter, _ := time.ParseDuration(os.Getenv("DEAD_AFTER"))
	cfg := config(fake, nil, 0, deadAfter)
	cfg.Store, cfg.Services, cfg.Pool = db, postgres.NewServices(db), db.Pool
	p, err := channel.New(cfg)
	if err == nil {
		err = p.Start(ctx)
	}
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Println("READY", ln.Addr())
	http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in := channel.Inbound{URN: core.URN(r.FormValue("from")), Text: r.FormValue("text"), ProviderID: r.FormValue("id")}
		if err := p.Receive(r.Context(), fake, in); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
}

// startGateway runs a gateway child process and returns its address; env
// adds SEND_EVERY (the fake's pace) or DEAD_AFTER.
func startGateway(t *testing.T, dbURL, providerURL string, env ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", "DATABASE_URL="+dbURL, "PROVIDER_URL="+providerURL)
	cmd.Env = append(cmd.Env, env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "READY ")
	if err != nil || !ok {
		t.Fatalf("gateway did not start: %q %v", line, err)
	}
	return cmd, addr
}

// burst sends messages from different senders to gateways, eight at a
// time, as a provider would, remembering which were acknowledged.
type burst struct {
	size  int
	acked sync.Map
	count atomic.Int64
}

func deliver(addr string, i int) bool {
	form := url.Values{"id": {fmt.Sprintf("SM%d", i)}, "from": {sender(i)}, "text": {"HD"}}
	res, err := http.PostForm("http://"+addr, form)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// send delivers the burst, message i to addrs[i % len(addrs)], and calls
// kill once a third is acknowledged.
func (b *burst) send(addrs []string, kill func()) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < b.size; i = int(next.Add(1)) - 1 {
				if deliver(addrs[i%len(addrs)], i) {
					b.acked.Store(i, true)
					if b.count.Add(1) == int64(b.size/3) {
						kill()
					}
				}
			}
		}()
	}
	wg.Wait()
}

// redeliver sends what was not acknowledged to addr, as the provider
// retries.
func (b *burst) redeliver(t *testing.T, addr string) {
	t.Helper()
	for i := range b.size {
		if _, ok := b.acked.Load(i); !ok && !deliver(addr, i) {
			t.Fatalf("redelivery of %d failed", i)
		}
	}
}

// answered waits until every sender of the burst has a reply and returns
// how many replies went twice.
func (b *burst) answered(t *testing.T, prov *provider, within time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		replies := map[string]int{}
		for _, s := range prov.sends() {
			replies[s.To]++
		}
		if len(replies) == b.size {
			doubled := 0
			for _, n := range replies {
				doubled += n - 1
			}
			return doubled
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d senders got a reply", len(replies), b.size)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A gateway killed in the middle of a burst loses nothing it acknowledged:
// after a restart, and the provider redelivering what was not
// acknowledged, every message has its answer.
func TestKilledGatewayLosesNothingAcknowledged(t *testing.T) {
	prov := newProvider(t)
	w := newWorld(t, prov)
	first, addr := startGateway(t, w.URL, prov.srv.URL)
	b := &burst{size: 500}
	b.send([]string{addr}, func() { first.Process.Signal(syscall.SIGKILL) })
	first.Wait()
	if int(b.count.Load()) >= b.size {
		t.Fatal("the gateway was never killed")
	}
	_, addr = startGateway(t, w.URL, prov.srv.URL)
	b.redeliver(t, addr)
	doubled := b.answered(t, prov, 90*time.Second)
	t.Logf("%d of %d acknowledged before the kill; after the restart every message has its reply; %d replies sent twice",
		b.count.Load(), b.size, doubled)
	if n := len(w.Inbound(t)); n != b.size {
		t.Fatalf("%d inbound messages stored, want %d", n, b.size)
	}
}

// Of two gateways, the one that lives takes up the turns the other had
// claimed when it was killed, without a restart, and sends at most 1 % of
// them twice.
func TestSurvivorTakesUpTheSendsOfAKilledGateway(t *testing.T) {
	prov := newProvider(t)
	w := newWorld(t, prov)
	env := []string{"SEND_EVERY=20ms", "DEAD_AFTER=2s"}
	doomed, first := startGateway(t, w.URL, prov.srv.URL, env...)
	_, second := startGateway(t, w.URL, prov.srv.URL, env...)
	b := &burst{size: 200}
	b.send([]string{first, second}, func() { killHoldingSends(w, doomed) })
	doomed.Wait()
	held, err := w.TurnsHeldBy(doomed.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	b.redeliver(t, second)
	doubled := b.answered(t, prov, time.Minute)
	t.Logf("%d of %d acknowledged; the killed gateway held %d turns; %d replies sent twice",
		b.count.Load(), b.size, len(held), doubled)
	if len(held) == 0 {
		t.Fatal("the killed gateway held no turn to take up")
	}
	if n := w.SentByOthers(t, held, doomed.Process.Pid); n != len(held) {
		t.Fatalf("%d of the %d turns the killed gateway held were sent by the other", n, len(held))
	}
	if doubled*100 > b.size {
		t.Fatalf("%d of %d replies sent twice", doubled, b.size)
	}
	queued := func(m *core.Message) bool { return m.Status == core.StatusQueued }
	if n := channeltest.Count(w.Outbound(t), queued); n != 0 {
		t.Fatalf("%d replies still queued", n)
	}
}

// killHoldingSends kills a gateway once it holds a turn: one it claimed
// and is waiting to send (its process id carries its pid).
func killHoldingSends(w *world, gateway *exec.Cmd) {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if held, err := w.TurnsHeldBy(gateway.Process.Pid); err == nil && len(held) > 0 {
			break
		}
	}
	gateway.Process.Signal(syscall.SIGKILL)
}

// sender is the i-th consumer of a burst, by number.
func sender(i int) string { return fmt.Sprintf("tel:+8497%07d", i) }
