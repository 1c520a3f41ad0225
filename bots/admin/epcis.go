package admin

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tracegate/bots/epcis"
	"tracegate/core"
)

// lotEPCIS is every event of one lot as an EPCISDocument.
func (h *Handler) lotEPCIS(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "lot id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	events, err := h.History.LotHistory(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeLD(w, h.epcis().Document(events, time.Now()))
}

// epcisEvents answers a simple event query: ?lot_id= or ?facility_id= (one
// is needed), ?from= and ?to= (RFC 3339, from inclusive, to exclusive),
// ?biz_step= (a bare CBV word) and ?limit= up to core.MaxEvents.
func (h *Handler) epcisEvents(w http.ResponseWriter, r *http.Request) {
	f, emitted, err := eventFilter(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var events []*core.LotEvent
	if emitted { // else a CBV step tracegate never records: nothing matches
		if events, err = h.History.FindEvents(r.Context(), f); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	writeLD(w, h.epcis().QueryDocument(events, time.Now()))
}

func (h *Handler) epcis() epcis.Builder { return epcis.Builder{BaseURL: h.BaseURL} }

// eventFilter reads an events query; emitted is false when its biz_step is
// one no tracegate event has.
func eventFilter(r *http.Request) (f core.EventFilter, emitted bool, err error) {
	q := r.URL.Query()
	if f.LotID, err = optionalID(q.Get("lot_id"), "lot_id"); err != nil {
		return f, false, err
	}
	if f.FacilityID, err = optionalID(q.Get("facility_id"), "facility_id"); err != nil {
		return f, false, err
	}
	if f.From, err = optionalTime(q.Get("from"), "from"); err != nil {
		return f, false, err
	}
	if f.To, err = optionalTime(q.Get("to"), "to"); err != nil {
		return f, false, err
	}
	if f.Limit, err = queryLimit(r); err != nil {
		return f, false, err
	}
	emitted = true
	if step := q.Get("biz_step"); step != "" {
		if emitted, err = epcis.Filter(&f, step); err != nil {
			return f, false, err
		}
	}
	return f, emitted, f.Validate()
}

func optionalID(s, name string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, core.Errorf(core.EINVALID, "%s must be a positive number, not %q", name, s)
	}
	return id, nil
}

func optionalTime(s, name string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil && strings.Contains(s, " ") {
		// An offset's + sent unescaped arrives as a space.
		t, err = time.Parse(time.RFC3339Nano, strings.ReplaceAll(s, " ", "+"))
	}
	if err != nil {
		return time.Time{}, core.Errorf(core.EINVALID, "%s must be an RFC 3339 time (2026-03-01T00:00:00+07:00), not %q", name, s)
	}
	return t, nil
}

// writeLD answers an EPCIS document as JSON-LD.
func writeLD(w http.ResponseWriter, doc any) {
	w.Header().Set("Content-Type", epcis.ContentType)
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(doc)
}
