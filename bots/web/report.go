package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"tracegate/core"
	"tracegate/locales"
)

const (
	// maxPlace is what the report form takes, as the report keeps it.
	maxPlace = 500
	// reportsPerHour is how many reports one client address may send in
	// an hour, on any codes: a buyer reports one shop, a flood is a
	// competitor's smear.
	reportsPerHour = 5
)

// report takes the page's "where bought" form and sends it through the
// pipeline as a BAO, so the facility's and the agency's notices are
// queued by the same outbox as an SMS report's.
func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	pg := newPage(r)
	code, err := core.ParseCode(r.PathValue("code"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	place := strings.TrimSpace(core.StorableText(r.FormValue("place")))
	pg.Code, pg.Input = code.Printed(), string(code)
	if place == "" || utf8.RuneCountInString(place) > maxPlace {
		pg.Verdict = locales.Print(pg.Lang, "web_report_invalid", map[string]any{"Max": maxPlace})
		h.render(w, http.StatusBadRequest, "report.html", pg)
		return
	}
	// The reporter is the client address keyed, as feedback's sender is,
	// but one name for all its reports: the limit counts the client,
	// whatever codes it reports.
	h.sendForm(w, r, pg, formPost{what: "report", of: "report", perHour: reportsPerHour,
		text: "BAO " + string(code) + " " + place, page: "report.html", slow: "web_report_slow", thanks: "web_report_thanks"})
}
