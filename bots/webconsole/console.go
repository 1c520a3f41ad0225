// Package webconsole is the web console under /admin/: the pages agency
// officers and cooperatives' managers use instead of the JSON API.
// Server-rendered, no scripts, Vietnamese first; every change goes
// through core.Console, which checks what the account may see and writes
// the audit log.
package webconsole

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/jackc/pgx/v5"

	"tracegate/bots/channel"
	"tracegate/bots/clientaddr"
	"tracegate/bots/dialog"
	"tracegate/core"
)

//go:embed templates/*.html
var templateFS embed.FS

// Store binds every service to one transaction.
type Store interface {
	InTx(ctx context.Context, fn func(tx pgx.Tx, s core.Services) error) error
}

// Handler serves the console.
type Handler struct {
	Services core.Services // on the pool: sessions and logins
	Store    Store
	// Pipeline carries changes that tell people (a recall) in their
	// transaction; without one they run on Store alone.
	Pipeline *channel.Pipeline
	// Site is the public site: it prints a batch's stamps and draws the
	// dashboard, for the console's officers too (by Officer).
	Site    http.Handler
	BaseURL string // PUBLIC_BASE_URL: cookies are Secure when it is https
	Clients clientaddr.Resolver
	Log     *slog.Logger

	pages *template.Template
}

// Routes serves /admin/ (the JSON API under /admin/api/ is another
// handler's).
func (h *Handler) Routes() (http.Handler, error) {
	pages, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	h.pages = pages
	if h.Log == nil {
		h.Log = slog.Default()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/login", h.loginPage)
	mux.HandleFunc("POST /admin/login", h.logIn)
	mux.Handle("POST /admin/logout", h.authed(h.logOut))
	mux.Handle("GET /admin/{$}", h.authed(h.home))
	mux.Handle("GET /admin/facilities", h.authed(h.facilities))
	mux.Handle("GET /admin/facilities/new", h.authed(h.newFacility))
	mux.Handle("POST /admin/facilities", h.authed(h.createFacility))
	mux.Handle("GET /admin/facilities/{id}", h.authed(h.facility))
	mux.Handle("GET /admin/facilities/{id}/edit", h.authed(h.editFacility))
	mux.Handle("POST /admin/facilities/{id}", h.authed(h.updateFacility))
	mux.Handle("POST /admin/facilities/{id}/products", h.authed(h.createProduct))
	mux.Handle("POST /admin/facilities/{id}/members", h.authed(h.addMember))
	mux.Handle("POST /admin/facilities/{id}/members/{member}/remove", h.authed(h.removeMember))
	mux.Handle("POST /admin/facilities/{id}/batches", h.authed(h.issueBatch))
	mux.Handle("GET /admin/batches/{id}/stamps.csv", h.authed(h.batchCSV))
	if h.Site != nil {
		// The site checks the admin token or, through Officer, this
		// console's session, whose cookie only /admin/ paths carry.
		mux.Handle("GET /admin/batches/{id}/sheet", h.Site)
		mux.Handle("GET /admin/stats", h.authed(h.stats))
	}
	mux.Handle("GET /admin/facilities/{id}/lots/{code}", h.authed(h.lot))
	mux.Handle("POST /admin/facilities/{id}/lots/{code}/recall", h.authed(h.recallLot))
	mux.Handle("POST /admin/facilities/{id}/lots/{code}/close", h.authed(h.closeLot))
	mux.Handle("POST /admin/facilities/{id}/lots/{code}/entries/{entry}/undo", h.authed(h.undoEntry))
	mux.Handle("GET /admin/facilities/{id}/products/{product}/edit", h.authed(h.editProduct))
	mux.Handle("POST /admin/facilities/{id}/products/{product}", h.authed(h.updateProduct))
	mux.Handle("POST /admin/facilities/{id}/feedback/{feedback}/answer", h.authed(h.answerFeedback))
	mux.Handle("GET /admin/audit", h.authed(h.audit))
	mux.Handle("GET /admin/reports", h.authed(h.reports))
	mux.Handle("GET /admin/import", h.authed(h.importForm))
	mux.Handle("POST /admin/import", h.authed(h.importPreview))
	mux.Handle("POST /admin/import/confirm", h.authed(h.importConfirm))
	mux.Handle("GET /admin/export/{kind}", h.authed(h.export))
	mux.HandleFunc("/admin/", func(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) })
	return secure(mux), nil
}

// secure sets the headers every console page carries: those of the
// public pages, and no caching, since each page is one account's.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// change runs fn on a console bound to one transaction, with the
// notices it returns queued in it when there is a pipeline.
func (h *Handler) change(ctx context.Context, acct *core.Account, fn func(ctx context.Context, c core.Console, d *dialog.Dialog) ([]dialog.Notice, error)) error {
	if h.Pipeline != nil {
		return h.Pipeline.Act(ctx, func(ctx context.Context, d *dialog.Dialog) ([]dialog.Notice, error) {
			return fn(ctx, core.Console{Account: acct, S: d.Services}, d)
		})
	}
	return h.Store.InTx(ctx, func(_ pgx.Tx, s core.Services) error {
		_, err := fn(ctx, core.Console{Account: acct, S: s}, nil)
		return err
	})
}

// read is a console on the pool, for pages that change nothing.
func (h *Handler) read(acct *core.Account) core.Console {
	return core.Console{Account: acct, S: h.Services}
}

// stats is the public dashboard, drawn for a logged-in officer: the
// agency sees the flagged codes on it.
func (h *Handler) stats(w http.ResponseWriter, r *http.Request) {
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/stats"
	h.Site.ServeHTTP(w, r2)
}
