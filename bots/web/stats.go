package web

import (
	"crypto/subtle"
	"net/http"
	"sort"
	"strings"
	"time"

	"tracegate/core"
)

// statsPage is the agency's dashboard.
type statsPage struct {
	page
	D     *core.Dashboard
	Stars []starCount
	Admin bool // flagged codes are for the agency's staff only
	// Reports are the last ReportWindow's reports of fakes by district:
	// everyone sees the counts, the agency the codes and the places
	// written that no list knows, which are anyone's words.
	Reports []core.DistrictReports
}

type starCount struct {
	Stars string
	N     int64
}

// stats draws the dashboard. Flagged codes show only to a request with
// the admin token.
func (h *Handler) stats(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	d, err := h.Stats.Dashboard(r.Context(), now)
	if err != nil {
		h.Log.Error("dashboard", "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	reports, err := h.Services.Reports.ReportsByDistrict(r.Context(), 0, now.Add(-core.ReportWindow))
	if err != nil {
		h.Log.Error("dashboard reports", "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	officer := h.officer(r)
	sp := statsPage{page: newPage(r), D: d, Reports: reports, Admin: h.admin(r) || officer != nil && officer.Role == core.RoleAgency}
	for stars, n := range d.ProductsByStars {
		sp.Stars = append(sp.Stars, starCount{stars, n})
	}
	sort.Slice(sp.Stars, func(i, j int) bool { return sp.Stars[i].Stars > sp.Stars[j].Stars })
	h.renderAny(w, http.StatusOK, "stats.html", sp)
}

// admin reports whether the request carries the admin token: as a Bearer
// header, or as the password of HTTP Basic, which a browser can send.
// officer is the console account of the request, if any.
func (h *Handler) officer(r *http.Request) *core.Account {
	if h.Officer == nil {
		return nil
	}
	return h.Officer(r)
}

func (h *Handler) admin(r *http.Request) bool {
	given, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		_, given, ok = r.BasicAuth()
	}
	return ok && h.AdminToken != "" && subtle.ConstantTimeCompare([]byte(given), []byte(h.AdminToken)) == 1
}
