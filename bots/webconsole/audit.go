package webconsole

import (
	"net/http"
	"strconv"

	"tracegate/core"
)

const auditPage = 100

type auditList struct {
	page
	Entries []*core.AuditEntry
	Older   int64 // the id to page on from, 0 at the end
}

// audit is the log of changes the account may read: all of it for the
// agency, its facility's for a facility account. Nobody can change it.
func (h *Handler) audit(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	entries, err := h.read(s.Account).Audit(r.Context(), before, auditPage)
	if err != nil {
		h.failed(w, r, err)
		return
	}
	p := auditList{page: newPage(r, s), Entries: entries}
	if len(entries) == auditPage {
		p.Older = entries[len(entries)-1].ID
	}
	h.render(w, http.StatusOK, "audit.html", p)
}
