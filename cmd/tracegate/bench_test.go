package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"tracegate/core/postgres/pgtest"
)

// The bench in its smallest form, so it keeps working: every figure is
// measured beside its bare work, and the table has a line for each.
func TestBench(t *testing.T) {
	plan := benchPlan{Scales: []int{3000}, Duration: time.Second, Clients: 4, Issue: 2000, Activate: 500,
		Latency: 20 * time.Millisecond, Workers: 8, Drain: 20 * time.Second,
		Server: pgtest.NewURL(t), Progress: io.Discard}
	rows, err := runBench(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	printBench(&table, rows)
	t.Logf("\n%s", table.String())
	if len(rows) != 10 {
		t.Fatalf("%d rows, want 10", len(rows))
	}
	for _, r := range rows {
		if r.Scale != 3000 || r.Ours <= 0 || (r.BareIs != "" && r.Bare <= 0) {
			t.Errorf("row %+v", r)
		}
	}
	if !strings.Contains(table.String(), "pgbench TPC-B") {
		t.Errorf("no TPC-B beside the webhook:\n%s", table.String())
	}
	// The tests' cluster runs without fsync: the rows that stand on
	// commits must say so rather than pass for a production server's.
	if !strings.Contains(rows[0].Note, "NOT DURABLE") || !strings.Contains(rows[2].Note, "NOT DURABLE") {
		t.Errorf("the throwaway cluster's rows do not say their commits were not durable:\n%s", table.String())
	}
	if !strings.Contains(rows[2].What, "end to end") || !strings.Contains(rows[2].Note, "reply delivered") {
		t.Errorf("no end-to-end row beside the webhook's:\n%s", table.String())
	}
}

// A backlog that stalls is no faster for having delivered a few replies
// early: the rate runs to the wait's end, and the note says it was cut.
func TestEndToEndNotDrained(t *testing.T) {
	t0 := time.Now()
	r := e2eResult{start: t0, acked: loadResult{Done: 100, Elapsed: time.Second},
		last: repliesSample{delivered: 10, lastDelivered: t0.Add(time.Second), at: t0.Add(time.Second)},
		end:  repliesSample{delivered: 10, pending: 90, lastDelivered: t0.Add(time.Second), at: t0.Add(100 * time.Second)}}
	r.finish(repliesSample{})
	if got := r.rate(); got != 0.1 {
		t.Errorf("rate %v, want 0.1 (10 lookups in the 100 s waited), not 10 (10 in the first second)", got)
	}
	if note := e2eNote(r, benchPlan{}); !strings.Contains(note, "only 10 of 100") || !strings.Contains(note, "90 still pending") {
		t.Errorf("note %q does not say the backlog was not drained", note)
	}
	r.drained, r.end.pending = true, 0
	r.finish(repliesSample{})
	if got := r.rate(); got != 10 {
		t.Errorf("drained: rate %v, want 10 (10 lookups by the last delivery, 1 s in)", got)
	}
}
