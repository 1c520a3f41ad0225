package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tracegate/core/postgres"
	"tracegate/core/postgres/pgcluster"
)

// server is what all tests of one binary share.
type server struct {
	baseURL  string        // the maintenance database
	admin    *pgxpool.Pool // creates and drops test databases
	template string
	cluster  *pgcluster.Cluster // nil on an external server
	dir      string             // the cluster's temporary data directory
}

var (
	once      sync.Once
	theServer *server
	setupErr  error
)

// shared sets the server up on first use. Errors are kept, not reported
// inside once: t.Fatal there would end the goroutine and leave the next
// test to find a half-made server.
func shared() (*server, error) {
	once.Do(func() { theServer, setupErr = setup() })
	return theServer, setupErr
}

func setup() (*server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := &server{baseURL: os.Getenv("DATABASE_URL")}
	if s.baseURL == "" {
		if err := s.startCluster(ctx); err != nil {
			return nil, err
		}
	}
	if err := s.makeTemplate(ctx); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *server) startCluster(ctx context.Context) error {
	dir, err := os.MkdirTemp(clusterParent(), "tracegate-pgtest-*")
	if err != nil {
		return fmt.Errorf("pgtest: make a directory for the test cluster: %w", err)
	}
	s.dir = dir
	watchDir(dir)
	if _, moved, err := pgcluster.UsableDir(dir); err != nil || moved {
		if err == nil {
			err = errors.New("the postgres OS user cannot reach it")
		}
		return fmt.Errorf("pgtest: test cluster in %s: %w; set TMPDIR to a directory it can reach, or DATABASE_URL", dir, err)
	}
	c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Throwaway: true})
	if err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("pgtest: no Postgres to test against (set DATABASE_URL to use a running server): %w", err)
	}
	s.cluster = c
	s.baseURL = c.URL("postgres")
	return nil
}

func (s *server) makeTemplate(ctx context.Context) error {
	admin, err := pgxpool.New(ctx, s.baseURL)
	if err != nil {
		return fmt.Errorf("pgtest: connect to %s: %w", redact(s.baseURL), err)
	}
	s.admin = admin
	name := "tracegate_tmpl_" + randomSuffix()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("pgtest: create template database: %w", err)
	}
	s.template = name

	pool, err := pgxpool.New(ctx, withDatabase(s.baseURL, name))
	if err != nil {
		return fmt.Errorf("pgtest: connect to template database: %w", err)
	}
	_, err = postgres.Migrate(ctx, pool)
	// CREATE DATABASE ... TEMPLATE fails while anyone is connected to the
	// template, so no connection to it may outlive this function.
	pool.Close()
	if err != nil {
		return fmt.Errorf("pgtest: migrate template database: %w", err)
	}
	return nil
}

// close undoes setup as far as it got; every step is best effort.
func (s *server) close() {
	if s.admin != nil {
		if s.template != "" && s.cluster == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			dropDatabase(ctx, s.admin, s.template)
			cancel()
		}
		s.admin.Close()
	}
	if s.cluster != nil {
		s.cluster.Stop()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// redact keeps a password in DATABASE_URL out of test output.
func redact(conn string) string {
	cfg, err := pgx.ParseConfig(conn)
	if err != nil {
		return "DATABASE_URL"
	}
	return fmt.Sprintf("%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}
