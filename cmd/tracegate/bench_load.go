package main

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// loadResult is what a load measured: operations done, how long it ran,
// and the latency percentiles of the operations that succeeded.
type loadResult struct {
	Done, Failed int
	Elapsed      time.Duration
	P50, P99     time.Duration
}

func (r loadResult) rate() float64 { return float64(r.Done) / r.Elapsed.Seconds() }

// closedLoop runs op from clients goroutines, each starting the next as
// soon as its last ended, for d: the most the system takes.
func closedLoop(clients int, d time.Duration, op func(i int) error) loadResult {
	var next atomic.Int64
	start := time.Now()
	deadline := start.Add(d)
	lat := make([][]time.Duration, clients)
	failed := make([]int, clients)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				t := time.Now()
				if err := op(int(next.Add(1))); err != nil {
					failed[c]++
					continue
				}
				lat[c] = append(lat[c], time.Since(t))
			}
		})
	}
	wg.Wait()
	return summarize(lat, failed, time.Since(start))
}

// paced starts op rate times a second for d, each timed from when it was
// due, so a backlog shows in the latencies instead of slowing the load.
func paced(rate float64, d time.Duration, op func(i int) error) loadResult {
	const workers = 256
	due := make(chan time.Time, workers)
	lat := make([][]time.Duration, workers)
	failed := make([]int, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for t := range due {
				if err := op(int(next.Add(1))); err != nil {
					failed[w]++
					continue
				}
				lat[w] = append(lat[w], time.Since(t))
			}
		})
	}
	start := time.Now()
	every := time.Duration(float64(time.Second) / rate)
	for t := start; t.Before(start.Add(d)); t = t.Add(every) {
		time.Sleep(time.Until(t))
		due <- t
	}
	close(due)
	wg.Wait()
	return summarize(lat, failed, time.Since(start))
}

func summarize(lat [][]time.Duration, failed []int, elapsed time.Duration) loadResult {
	all := slices.Concat(lat...)
	slices.Sort(all)
	r := loadResult{Done: len(all), Elapsed: elapsed}
	for _, f := range failed {
		r.Failed += f
	}
	if len(all) > 0 {
		r.P50, r.P99 = all[len(all)/2], all[len(all)*99/100]
	}
	return r
}

// timed runs fn once and says how long it took.
func timed(fn func() error) (time.Duration, error) {
	t := time.Now()
	err := fn()
	return time.Since(t), err
}

// median runs fn n times and returns the median duration.
func median(n int, fn func() error) (time.Duration, error) {
	var ds []time.Duration
	for range n {
		d, err := timed(fn)
		if err != nil {
			return 0, err
		}
		ds = append(ds, d)
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}
