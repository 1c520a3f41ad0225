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
	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
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
	p, err := newPipeline(db, fake, nil, 0)
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

// startGateway runs a gateway child process and returns its address.
func startGateway(t *testing.T, dbURL, providerURL string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", "DATABASE_URL="+dbURL, "PROVIDER_URL="+providerURL)
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

// A gateway killed in the middle of a burst loses nothing it acknowledged:
// after a restart, and the provider redelivering what was not
// acknowledged, every message has its answer.
func TestKilledGatewayLosesNothingAcknowledged(t *testing.T) {
	const burst = 500
	prov := newProvider(t)
	dbURL := pgtest.NewURL(t)
	db, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := newWorldOn(t, prov, db)

	first, addr := startGateway(t, dbURL, prov.srv.URL)
	var acked sync.Map
	var ackCount atomic.Int64
	deliver := func(addr string, i int) bool {
		form := url.Values{"id": {fmt.Sprintf("SM%d", i)}, "from": {sender(i)}, "text": {"HD"}}
		res, err := http.PostForm("http://"+addr, form)
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < burst; i = int(next.Add(1)) - 1 {
				if deliver(addr, i) {
					acked.Store(i, true)
					if ackCount.Add(1) == burst/3 {
						first.Process.Signal(syscall.SIGKILL)
					}
				}
			}
		}()
	}
	wg.Wait()
	first.Wait()
	acknowledged := int(ackCount.Load())
	if acknowledged >= burst {
		t.Fatal("the gateway was never killed")
	}

	_, addr = startGateway(t, dbURL, prov.srv.URL)
	for i := range burst { // the provider redelivers whatever was not acknowledged
		if _, ok := acked.Load(i); !ok && !deliver(addr, i) {
			t.Fatalf("redelivery of %d failed", i)
		}
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		replies := map[string]int{}
		for _, s := range prov.sends() {
			replies[s.To]++
		}
		if len(replies) == burst {
			doubled := 0
			for _, n := range replies {
				doubled += n - 1
			}
			t.Logf("%d of %d acknowledged before the kill; after the restart every message has its reply; %d replies sent twice",
				acknowledged, burst, doubled)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d senders got a reply", len(replies), burst)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := w.count(t, `SELECT count(*) FROM messages WHERE direction = 'in'`); n != burst {
		t.Fatalf("%d inbound messages stored, want %d", n, burst)
	}
}

// sender is the i-th consumer of a burst, by number.
func sender(i int) string { return fmt.Sprintf("tel:+8497%07d", i) }
