package admin

import "net/http"

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
