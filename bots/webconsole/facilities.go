package webconsole

import (
	"context"
	"net/http"
	"strings"

	"tracegate/bots/dialog"
	"tracegate/core"
)

type facilitiesPage struct {
	page
	Query      string
	Facilities []*core.Facility
}

// facilities lists what the account sees; q searches names, addresses and
// phones, with or without accents.
func (h *Handler) facilities(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	all, err := h.read(s.Account).Facilities(r.Context())
	if err != nil {
		h.failed(w, r, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := facilitiesPage{page: newPage(r, s), Query: q}
	for _, f := range all {
		if q == "" || matches(q, f.Name, f.Address, f.Province, f.Phone, f.GLN) {
			p.Facilities = append(p.Facilities, f)
		}
	}
	h.render(w, http.StatusOK, "facilities.html", p)
}

// matches is a search an officer can type without accents or case.
func matches(q string, fields ...string) bool {
	want := strings.ToLower(core.Fold(q))
	for _, f := range fields {
		if strings.Contains(strings.ToLower(core.Fold(f)), want) {
			return true
		}
	}
	return false
}

type facilityForm struct {
	page
	Facility *core.Facility
}

func (h *Handler) newFacility(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	if s.Account.Role != core.RoleAgency {
		h.fail(w, r, http.StatusForbidden, "console_forbidden")
		return
	}
	h.render(w, http.StatusOK, "facility_form.html", facilityForm{page: newPage(r, s), Facility: &core.Facility{Province: "Cà Mau"}})
}

// facilityFromForm reads the form's fields; core checks them.
func facilityFromForm(r *http.Request) *core.Facility {
	return &core.Facility{Name: r.PostFormValue("name"), Address: r.PostFormValue("address"),
		Province: r.PostFormValue("province"), Phone: r.PostFormValue("phone"), GLN: r.PostFormValue("gln")}
}

func (h *Handler) createFacility(w http.ResponseWriter, r *http.Request) {
	f := facilityFromForm(r)
	err := h.change(r.Context(), sessionOf(r).Account, func(ctx context.Context, c core.Console, _ *dialog.Dialog) ([]dialog.Notice, error) {
		return nil, c.CreateFacility(ctx, f)
	})
	if err != nil {
		h.failed(w, r, err)
		return
	}
	done(w, r, facilityURL(f.ID), "console_facility_created")
}

func (h *Handler) editFacility(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	f, err := h.read(s.Account).Facility(r.Context(), id)
	if err != nil {
		h.failed(w, r, err)
		return
	}
	h.render(w, http.StatusOK, "facility_form.html", facilityForm{page: newPage(r, s), Facility: f})
}

func (h *Handler) updateFacility(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	f := facilityFromForm(r)
	f.ID = id
	err := h.change(r.Context(), sessionOf(r).Account, func(ctx context.Context, c core.Console, _ *dialog.Dialog) ([]dialog.Notice, error) {
		return nil, c.UpdateFacility(ctx, f)
	})
	if err != nil {
		h.failed(w, r, err)
		return
	}
	done(w, r, facilityURL(id), "console_facility_saved")
}

// facilityPage is one facility with everything it has.
type facilityPage struct {
	page
	Facility *core.Facility
	Products []*core.Product
	Members  []*core.Member
	Batches  []*core.StampBatch
	Lots     []*core.Lot
	Feedback []*core.Feedback
	Reports  *core.ReportDigest
}

func (h *Handler) facility(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	c, ctx := h.read(s.Account), r.Context()
	p := facilityPage{page: newPage(r, s)}
	if !h.loadAll(w, r,
		func() (err error) { p.Facility, err = c.Facility(ctx, id); return },
		func() (err error) { p.Products, err = c.Products(ctx, id); return },
		func() (err error) { p.Members, err = c.Members(ctx, id); return },
		func() (err error) { p.Batches, err = c.Batches(ctx, id); return },
		func() (err error) { p.Lots, err = c.Lots(ctx, id); return },
		func() (err error) { p.Feedback, err = c.Feedback(ctx, id); return },
		func() (err error) { p.Reports, err = c.Reports(ctx, id); return },
	) {
		return
	}
	h.render(w, http.StatusOK, "facility.html", p)
}
