package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"tracegate/core/postgres/pgtest"
)

// TestServeReadsFromTheReplica runs serve with DATABASE_READ_URL on a real
// streaming replica: the statistics come from it, and once it stops the
// public page and the dashboard still answer, with one line in the log.
func TestServeReadsFromTheReplica(t *testing.T) {
	ctx := context.Background()
	rp := pgtest.NewReplicated(t)
	env := map[string]string{"DATABASE_URL": rp.PrimaryURL, "DATABASE_READ_URL": rp.ReplicaURL,
		"HTTP_ADDR": freeAddr(t), "ADMIN_TOKEN": "t0ken"}
	logs := &output{}
	base := serveLogged(t, env, slog.New(slog.NewTextHandler(logs, nil)))
	if !strings.Contains(logs.String(), `msg="reading from a replica"`) {
		t.Fatalf("serve did not say it reads from the replica:\n%s", logs)
	}

	// Paused, the replica does not see the facility the API creates.
	standby, err := pgx.Connect(ctx, rp.Replica.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := standby.Exec(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	var f, batch struct{ ID int64 }
	postJSON(t, base+"/admin/api/facilities", `{"name": "HTX Mật ong U Minh", "province": "Cà Mau", "phone": "0912345678"}`, &f)
	if n := statsFacilities(t, base); n != 0 {
		t.Fatalf("stats count %d facilities, want the paused replica's 0", n)
	}
	// A stamp just printed is unknown to the replica, which would make its
	// page a 404 "no such stamp"; the page reads it again from the primary.
	postJSON(t, base+"/admin/api/stamp-batches", fmt.Sprintf(`{"facility_id": %d, "count": 1}`, f.ID), &batch)
	code := firstCode(t, base, batch.ID)
	if status, body := get(t, base+"/t/"+code, ""); status != 200 {
		t.Fatalf("the page of a stamp printed a moment ago: %d %s", status, body)
	}
	if _, err := standby.Exec(ctx, `SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	standby.Close(ctx)
	rp.WaitReplayed(t)
	if n := statsFacilities(t, base); n != 1 {
		t.Fatalf("stats count %d facilities once replayed, want 1", n)
	}

	if err := rp.Replica.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/stats", "/t/" + code, "/admin/api/stats"} {
		if status, body := get(t, base+path, "t0ken"); status != 200 {
			t.Fatalf("%s with the replica down: %d %s", path, status, body)
		}
	}
	if n := statsFacilities(t, base); n != 1 {
		t.Fatalf("stats count %d facilities from the primary, want 1", n)
	}
	if n := strings.Count(logs.String(), "read replica unreachable"); n != 1 {
		t.Fatalf("the outage is logged %d times, want once:\n%s", n, logs)
	}
}

// serveLogged is serveInBackground with the server's log kept.
func serveLogged(t *testing.T, env map[string]string, log *slog.Logger) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, nil, io.Discard, log)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve ended with %v", err)
		}
	})
	base := "http://" + env["HTTP_ADDR"]
	waitReady(t, base, done)
	return base
}

// postJSON posts body to the admin API and reads its 201 answer into v.
func postJSON(t *testing.T, url, body string, v any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer t0ken")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(res.Body)
	if res.StatusCode != 201 {
		t.Fatalf("POST %s: %d %s", url, res.StatusCode, answer)
	}
	if err := json.Unmarshal(answer, v); err != nil {
		t.Fatalf("POST %s answered %s: %v", url, answer, err)
	}
}

// firstCode is the code of the first stamp of a batch, from its CSV.
func firstCode(t *testing.T, base string, batch int64) string {
	t.Helper()
	status, body := get(t, fmt.Sprintf("%s/admin/api/stamp-batches/%d/stamps.csv", base, batch), "t0ken")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if status != 200 || len(lines) < 2 {
		t.Fatalf("stamps.csv: %d %s", status, body)
	}
	return strings.Split(lines[1], ",")[1]
}

func statsFacilities(t *testing.T, base string) int {
	t.Helper()
	status, body := get(t, base+"/admin/api/stats", "t0ken")
	var st struct {
		Facilities int `json:"facilities"`
	}
	if err := json.Unmarshal([]byte(body), &st); status != 200 || err != nil {
		t.Fatalf("stats: %d %s (%v)", status, body, err)
	}
	return st.Facilities
}
