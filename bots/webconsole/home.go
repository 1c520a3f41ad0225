package webconsole

import (
	"net/http"
	"strconv"
)

// home is the list of facilities for the agency, and a facility account's
// own facility.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	acct := sessionOf(r).Account
	if acct.FacilityID != 0 {
		http.Redirect(w, r, "/admin/facilities/"+strconv.FormatInt(acct.FacilityID, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/admin/facilities", http.StatusSeeOther)
}
