package admin

import (
	"net/http"
	"strings"

	"tracegate/core"
)

// listLots is one facility's lots, open ones first and newest first (the
// order of core.LotService.FindLots): ?facility_id=, ?limit= up to 1000.
func (h *Handler) listLots(w http.ResponseWriter, r *http.Request) {
	facilityID, err := queryID(r, "facility_id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	limit, err := queryLimit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// An unknown facility has no lots either; only this lookup tells the
	// caller its id is wrong rather than the facility idle.
	if _, err := h.Facilities.FindFacilityByID(r.Context(), facilityID); err != nil {
		h.fail(w, r, err)
		return
	}
	lots, err := h.Lots.FindLots(r.Context(), facilityID, limit)
	h.respond(w, r, http.StatusOK, lots, err)
}

// recallLot is the agency's recall of a lot: {"reason": "..."}. Every
// stamp of it answers recalled from then on, and its facility's members,
// the agency and the lot's recent lookers are told.
func (h *Handler) recallLot(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "lot id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	if strings.TrimSpace(body.Reason) == "" {
		h.fail(w, r, core.Errorf(core.EINVALID, "a recall needs its reason, which buyers are told"))
		return
	}
	if h.Recall == nil {
		writeError(w, http.StatusServiceUnavailable, "recalls are not wired in this process")
		return
	}
	lot, err := h.Recall(r.Context(), id, strings.TrimSpace(body.Reason))
	h.respond(w, r, http.StatusOK, lot, err)
}
