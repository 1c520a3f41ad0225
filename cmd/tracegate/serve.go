package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"tracegate/bots/admin"
	"tracegate/bots/clientaddr"
	"tracegate/bots/dialog"
	"tracegate/bots/web"
	"tracegate/bots/webconsole"
	"tracegate/core/postgres"
)

func migrate(ctx context.Context, cfg config, out io.Writer) error {
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set")
	}
	db, err := postgres.OpenVia(ctx, cfg.DatabaseURL, cfg.Pooler)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := postgres.Migrate(ctx, db.Pool)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "applied %d migrations\n", n)
	return nil
}

func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set (tracegate dev starts a private database)")
	}
	cfg.HTTPAddr = orDefault(cfg.HTTPAddr, ":8080")
	db, err := openDB(ctx, cfg.DatabaseURL, cfg.Pooler, log)
	if err != nil {
		return err
	}
	defer db.Close()
	return serveDB(ctx, cfg, db, func(config) {}, log)
}

// openDB connects through pooler and brings the schema up to date.
func openDB(ctx context.Context, url string, pooler postgres.Pooler, log *slog.Logger) (*postgres.DB, error) {
	db, err := postgres.OpenVia(ctx, url, pooler)
	if err != nil {
		return nil, err
	}
	n, err := postgres.Migrate(ctx, db.Pool)
	if err != nil {
		db.Close()
		return nil, err
	}
	if n > 0 {
		log.Info("migrated", slog.Int("applied", n))
	}
	return db, nil
}

// serveDB serves HTTP until ctx ends, then finishes the requests in
// flight. ready gets the configuration as served, with the public URL
// filled in from the listening address when it was unset.
func serveDB(ctx context.Context, cfg config, db *postgres.DB, ready func(config), log *slog.Logger) error {
	db.Suspicion = cfg.Suspicion
	if cfg.DatabaseReadURL != "" {
		// The public page and the statistics read there from now on; a
		// replica that is down only logs, the primary answering instead.
		if err := db.OpenRead(ctx, cfg.DatabaseReadURL, log); err != nil {
			return err
		}
	}
	if cfg.AdminToken == "" {
		log.Warn("ADMIN_TOKEN is not set: the admin API refuses every call")
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	}
	if cfg.PublicBaseURL == "" {
		cfg.PublicBaseURL = "http://" + ln.Addr().String()
		log.Warn("PUBLIC_BASE_URL is not set: links and Twilio signatures use " + cfg.PublicBaseURL)
	}
	gw, err := newGateway(cfg, db, log)
	if err != nil {
		return err
	}
	pipeline := gw.pipeline
	handler, err := routes(cfg, db, gw, log)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		// A client that reads an answer slowly does not hold a connection
		// (and a database transaction's result) for ever.
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  120 * time.Second,
		ErrorLog:     slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	workCtx, stopWork := context.WithCancel(context.Background())
	defer stopWork()
	if err := pipeline.Start(workCtx); err != nil {
		return fmt.Errorf("start send workers: %w", err)
	}
	gw.run(workCtx, log)
	captureStopped := startCapture(workCtx, cfg, db, log)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("serving", slog.String("addr", ln.Addr().String()))
	ready(cfg)

	select {
	case err := <-served:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down http: %w", err)
	}
	// Sends in flight finish; the rest wait in the queue for the next start.
	if err := pipeline.Stop(shutdownCtx); err != nil {
		return fmt.Errorf("stop send workers: %w", err)
	}
	// A push cut short is claimed again once its lease runs out.
	stopWork()
	captureStopped()
	log.Info("stopped")
	return nil
}

// dialogFor is the dialog every channel shares.
func dialogFor(cfg config) dialog.Dialog {
	return dialog.Dialog{BaseURL: cfg.PublicBaseURL, DefaultLang: cfg.DefaultLang, Agency: cfg.Agency}
}

func routes(cfg config, db *postgres.DB, gw *gateway, log *slog.Logger) (http.Handler, error) {
	s := postgres.NewServices(db)
	adminAPI := &admin.Handler{
		Token:      cfg.AdminToken,
		BaseURL:    cfg.PublicBaseURL,
		Facilities: s.Facilities,
		Products:   s.Products,
		Members:    s.Members,
		Lots:       s.Lots,
		Stamps:     s.Stamps,
		Stats:      s.Stats,
		Messages:   s.Messages,
		Recall:     recallWith(gw.pipeline),
		History:    postgres.NewHistoryService(db),
		Log:        log,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.Pool.Ping(ctx); err != nil {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", promhttp.Handler())
	mux.Handle("/admin/api/", adminAPI.Routes())
	var phone *web.Phone
	var zaloSim *web.ZaloSim
	if cfg.Dev {
		phone, zaloSim = &web.Phone{Policy: cfg.SMSAccents}, &web.ZaloSim{}
	}
	console := &webconsole.Handler{Services: s, Store: db, Pipeline: gw.pipeline, BaseURL: cfg.PublicBaseURL,
		Clients: clientaddr.Resolver{Trusted: cfg.TrustedProxies}, Log: log}
	site, err := (&web.Handler{Lookups: s.Lookups, Stats: s.Stats, Stamps: s.Stamps, Services: s, Pipeline: gw.pipeline,
		Phone: phone, Zalo: zaloSim, Diary: s.Diary, Photos: gw.photos.orNone(), BaseURL: cfg.PublicBaseURL, AdminToken: cfg.AdminToken,
		Officer: console.Officer, TrustedProxies: cfg.TrustedProxies, LookupsPerMinute: cfg.WebLookupLimit, Guard: db, Log: log}).Routes()
	if err != nil {
		return nil, err
	}
	console.Site = site
	consolePages, err := console.Routes()
	if err != nil {
		return nil, err
	}
	mux.Handle("/admin/", consolePages)
	mux.Handle("/", site)
	gw.mount(mux)
	return instrument(mux), nil
}

var httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "tracegate_http_requests_total",
	Help: "HTTP requests served, by method and status code.",
}, []string{"method", "code"})

func init() { prometheus.MustRegister(httpRequests) }

func instrument(h http.Handler) http.Handler {
	return promhttp.InstrumentHandlerCounter(httpRequests, h)
}
