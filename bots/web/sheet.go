package web

import (
	"net/http"
	"strconv"

	"tracegate/core"
)

// sheetStamps is how many stamps one sheet page holds: 25 A4 pages of 40.
// A million-stamp batch prints page by page.
const sheetStamps = 1000

type sheetPage struct {
	page
	Batch  *core.StampBatch
	Stamps []*core.StampInfo
	Pages  []int // 1-based page numbers, for the links
	Page   int
}

// sheet is a printable layout of a batch's stamps: QR, code and serial,
// 40 to an A4 page. It needs the admin token, as a Bearer header or as
// the password of the browser's own login box, or a console session that
// sees the batch's facility.
func (h *Handler) sheet(w http.ResponseWriter, r *http.Request) {
	admin, officer := h.admin(r), h.officer(r)
	if !admin && officer == nil {
		askForToken(w)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	b, err := h.Stamps.FindBatchByID(r.Context(), id)
	if core.ErrorCodeOf(err) == core.ENOTFOUND {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.Log.Error("sheet", "batch", id, "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	if !admin && !officer.Sees(b.FacilityID) {
		http.NotFound(w, r) // another facility's batch is none of this account's
		return
	}
	pages := (b.Count + sheetStamps - 1) / sheetStamps
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	n = min(max(n, 1), pages)
	from := b.FirstSerial + int64(n-1)*sheetStamps
	stamps, err := h.Stamps.FindStamps(r.Context(), b.FacilityID, core.SerialRange{From: from, To: min(from+sheetStamps-1, b.LastSerial)})
	if err != nil {
		h.Log.Error("sheet", "batch", id, "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	sp := sheetPage{page: newPage(r), Batch: b, Stamps: stamps, Page: n}
	for i := 1; i <= pages; i++ {
		sp.Pages = append(sp.Pages, i)
	}
	h.renderAny(w, http.StatusOK, "sheet.html", sp)
}

func askForToken(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="tracegate admin"`)
	http.Error(w, "admin token required", http.StatusUnauthorized)
}
