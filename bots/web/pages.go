package web

import (
	"bytes"
	"cmp"
	"html/template"
	"net/http"
	"strings"
	"time"

	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/locales"
)

// page is what every template gets.
type page struct {
	Lang    core.Lang
	Other   core.Lang // the language the switch offers
	Path    string
	Code    string
	Input   string
	P       *core.Provenance
	Verdict string // the verdict sentence, as the dialog words it
	Warning bool
	// Alerts are what exposes a copy, as the dialog words them: the PIN's
	// answer, why a code is suspicious, its first verification.
	Alerts []string
	Photos bool // the diary's photos can be shown
	// Origins are what went into the lot, as far back as recorded, one
	// line each; buyers are never shown.
	Origins []originLine
}

// originLine is one input of the chain, Depth steps back from the lot.
type originLine struct {
	Depth                     int
	What, Quantity            string
	Supplier, SupplierLot     string
	FromProduct, FromFacility string
}

// originLines flattens the chain upward in reading order.
func originLines(lang core.Lang, origins []*core.Origin, depth int) []originLine {
	var lines []originLine
	for _, o := range origins {
		lines = append(lines, originLine{Depth: depth, What: o.Input.What, Quantity: locales.Quantity(lang, o.Input.Quantity),
			Supplier: o.Input.SupplierName, SupplierLot: o.Input.SupplierLot, FromProduct: o.Product, FromFacility: o.Facility})
		lines = append(lines, originLines(lang, o.From, depth+1)...)
	}
	return lines
}

// langOf is Vietnamese unless ?lang=en.
func langOf(r *http.Request) core.Lang {
	if r.URL.Query().Get("lang") == string(core.LangEN) {
		return core.LangEN
	}
	return core.LangVI
}

func newPage(r *http.Request) page {
	p := page{Lang: langOf(r), Other: core.LangEN, Path: r.URL.Path}
	if p.Lang == core.LangEN {
		p.Other = core.LangVI
	}
	return p
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	h.render(w, http.StatusOK, "home.html", newPage(r))
}

// lookupForm sends the form's code to its page.
func (h *Handler) lookupForm(w http.ResponseWriter, r *http.Request) {
	code := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(r.URL.Query().Get("code")))
	if code == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	target := "/t/" + urlPathEscape(code)
	if langOf(r) == core.LangEN {
		target += "?lang=en"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// provenance is the page a stamp's QR code opens. It records a lookup like
// any channel, the sender being the visitor's address.
func (h *Handler) provenance(w http.ResponseWriter, r *http.Request) {
	pg := newPage(r)
	pg.Input = core.StorableText(r.PathValue("code")) // a page is no message: cleaned here, not by the pipeline
	sender := core.URN("web:" + h.client(r))
	allowed, err := h.Guard.Allow(r.Context(), "web-lookup", sender, cmp.Or(h.LookupsPerMinute, 60), time.Minute)
	if err != nil {
		h.Log.Error("web lookup rate", "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	if !allowed {
		pg.Verdict = locales.Print(pg.Lang, "web_lookup_slow", nil)
		h.render(w, http.StatusTooManyRequests, "notfound.html", pg)
		return
	}
	pin := strings.TrimSpace(r.URL.Query().Get("pin"))
	p, err := h.Lookups.Lookup(r.Context(), core.LookupRequest{Input: pg.Input, Channel: feedbackName, Sender: sender, PIN: pin})
	if err != nil {
		h.Log.Error("web lookup", "input", pg.Input, "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	pg.P, pg.Code = p, p.Code.Printed()
	data := map[string]any{"Code": pg.Code, "Input": pg.Input}
	if p.Lot != nil {
		data["Lot"], data["Reason"] = p.Lot.Code, p.Lot.RecallReason
	}
	pg.Verdict = locales.Print(pg.Lang, "verdict_"+string(p.Verdict), data)
	pg.Warning = p.Verdict != core.VerdictGenuine || p.PIN == core.PINWrong
	for _, l := range dialog.AlertLines(pg.Lang, p) {
		pg.Alerts = append(pg.Alerts, l.Text)
	}
	pg.Photos = h.Photos != nil
	if p.Lot != nil && len(p.Inputs) > 0 {
		origins, err := h.Services.Chain.Origins(r.Context(), p.Lot.ID)
		if err != nil {
			h.Log.Error("web origins", "lot", p.Lot.ID, "err", err)
			http.Error(w, "please try again", http.StatusInternalServerError)
			return
		}
		pg.Origins = originLines(pg.Lang, origins, 0)
	}
	switch p.Verdict {
	case core.VerdictUnknown, core.VerdictMistyped:
		h.render(w, http.StatusNotFound, "notfound.html", pg)
	default:
		h.render(w, http.StatusOK, "provenance.html", pg)
	}
}

// render writes a whole page or, on a template error, a plain 500: never
// half a page.
func (h *Handler) render(w http.ResponseWriter, status int, name string, pg page) {
	h.renderAny(w, status, name, pg)
}

func (h *Handler) renderAny(w http.ResponseWriter, status int, name string, pg any) {
	var buf bytes.Buffer
	if err := h.pages.ExecuteTemplate(&buf, name, pg); err != nil {
		h.Log.Error("render", "page", name, "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func urlPathEscape(s string) string { return template.URLQueryEscaper(s) }
