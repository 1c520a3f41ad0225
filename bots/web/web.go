// Package web is the public face of the gateway: the page every stamp's
// QR code opens, the lookup form, the QR images and the agency's
// dashboard. Server-rendered with
// html/template, Vietnamese first, no scripts and no outside resources,
// so it loads on a cheap phone on a weak connection.
package web

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"tracegate/bots/channel"
	"tracegate/core"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Guard counts a client's requests and names clients without keeping
// their addresses, in Postgres, across gateway processes.
type Guard interface {
	Allow(ctx context.Context, what string, who core.URN, limit int, per time.Duration) (bool, error)
	Pseudonym(ctx context.Context, who core.URN) (string, error)
}

// Handler serves the public pages.
type Handler struct {
	Lookups  core.LookupService
	Stats    core.StatsService
	Stamps   core.StampService // for printable sheets
	Services core.Services     // the forms' rate limits, the dashboard's reports
	Pipeline *channel.Pipeline // the feedback form's way in
	// Phone turns on the dev phone simulator at /dev/phone; nil in serve.
	Phone *Phone
	// Zalo turns on the simulator's Zalo pane, /dev/phone?app=zalo; nil
	// in serve.
	Zalo *ZaloSim
	// Diary and Photos show the diary's photos; Photos nil shows none.
	Diary      core.DiaryService
	Photos     PhotoSource
	BaseURL    string // PUBLIC_BASE_URL: the URL a QR code carries
	AdminToken string // shows flagged codes on the dashboard
	// Officer is the console account logged in on the request, nil for
	// none: an account prints the sheets of the facilities it sees, and
	// the agency sees the dashboard's flagged codes, as the admin token
	// does. nil: the admin token only.
	Officer func(r *http.Request) *core.Account
	// TrustedProxies are the proxies whose X-Forwarded-For is believed;
	// from anyone else the peer's address is the client.
	TrustedProxies []netip.Prefix
	// LookupsPerMinute bounds one client's page lookups (default 60).
	LookupsPerMinute int
	Guard            Guard
	Log              *slog.Logger

	pages  *template.Template
	photos photoCache
}

// Routes returns the public routes behind the security headers.
func (h *Handler) Routes() (http.Handler, error) {
	pages, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	h.pages = pages
	if h.Log == nil {
		h.Log = slog.Default()
	}
	static, _ := fs.Sub(staticFS, "static")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.home)
	mux.HandleFunc("GET /t/{code}", h.provenance)
	mux.HandleFunc("GET /t/{code}/qr.png", h.qr)
	mux.HandleFunc("POST /t/{code}/feedback", h.feedback)
	mux.HandleFunc("POST /t/{code}/report", h.report)
	mux.HandleFunc("GET /photo/{id}", h.photo)
	mux.HandleFunc("GET /photo/{id}/{n}", h.photo)
	mux.HandleFunc("GET /lookup", h.lookupForm)
	mux.HandleFunc("GET /stats", h.stats)
	mux.HandleFunc("GET /admin/batches/{id}/sheet", h.sheet)
	if h.Phone != nil {
		mux.HandleFunc("GET /dev/phone", h.phone)
		mux.HandleFunc("POST /dev/phone", h.phoneSend)
	}
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(filesOnly{static})))
	return secure(mux), nil
}

// secure sets the headers every page carries: no scripts at all, nothing
// from elsewhere, no framing, no sniffing.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// filesOnly serves the files of a folder and not the folder's listing.
type filesOnly struct{ fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if info, err := file.Stat(); err != nil || info.IsDir() {
		file.Close()
		return nil, fs.ErrNotExist
	}
	return file, nil
}
