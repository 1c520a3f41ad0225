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
		Server: pgtest.NewURL(t), Progress: io.Discard}
	rows, err := runBench(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	printBench(&table, rows)
	t.Logf("\n%s", table.String())
	if len(rows) != 9 {
		t.Fatalf("%d rows, want 9", len(rows))
	}
	for _, r := range rows {
		if r.Scale != 3000 || r.Ours <= 0 || (r.BareIs != "" && r.Bare <= 0) {
			t.Errorf("row %+v", r)
		}
	}
	if !strings.Contains(table.String(), "pgbench TPC-B") {
		t.Errorf("no TPC-B beside the webhook:\n%s", table.String())
	}
}
