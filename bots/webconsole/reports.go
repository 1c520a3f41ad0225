package webconsole

import (
	"net/http"

	"tracegate/core"
)

// reportsPage is the province's reports of fakes: by district over the
// last core.ReportWindow, and the latest one by one.
type reportsPage struct {
	page
	Reports    *core.ReportDigest
	Facilities map[int64]string // names of the reported stamps' facilities
}

// reports is for the agency only: core.Console refuses anyone else, so a
// facility account is told 403, not shown another facility's buyers.
func (h *Handler) reports(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	c, ctx := h.read(s.Account), r.Context()
	digest, err := c.Reports(ctx, 0)
	if err != nil {
		h.failed(w, r, err)
		return
	}
	facilities, err := c.Facilities(ctx)
	if err != nil {
		h.failed(w, r, err)
		return
	}
	p := reportsPage{page: newPage(r, s), Reports: digest, Facilities: map[int64]string{}}
	for _, f := range facilities {
		p.Facilities[f.ID] = f.Name
	}
	h.render(w, http.StatusOK, "reports.html", p)
}
