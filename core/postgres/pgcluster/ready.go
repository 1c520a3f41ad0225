package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// readyTimeout covers initdb-fresh clusters on slow disks and crash recovery
// of a dev cluster.
const readyTimeout = 30 * time.Second

// waitReady polls until a real query succeeds: the port opens before the
// server has finished recovery and accepts sessions.
func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		if last = c.ping(ctx); last == nil {
			return nil
		}
		select {
		case <-c.done:
			if c.waitErr != nil {
				return fmt.Errorf("postgres exited during startup: %w", c.waitErr)
			}
			return errors.New("postgres exited during startup")
		case <-ctx.Done():
			return fmt.Errorf("postgres did not accept connections: %w (last attempt: %v)", ctx.Err(), last)
		case <-tick.C:
		}
	}
}

func (c *Cluster) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgconn.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, "SELECT 1").ReadAll()
	return err
}
