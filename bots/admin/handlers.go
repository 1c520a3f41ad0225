package admin

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"tracegate/core"
)

func (h *Handler) createFacility(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name     string `json:"name"`
		Address  string `json:"address"`
		Province string `json:"province"`
		Phone    string `json:"phone"`
		GLN      string `json:"gln"`
	}
	if err := decode(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	f := core.Facility{Name: body.Name, Address: body.Address, Province: body.Province, Phone: body.Phone,
		GLN: body.GLN}
	h.respond(w, r, http.StatusCreated, &f, h.Facilities.CreateFacility(r.Context(), &f))
}

func (h *Handler) listFacilities(w http.ResponseWriter, r *http.Request) {
	facilities, err := h.Facilities.FindFacilities(r.Context())
	h.respond(w, r, http.StatusOK, facilities, err)
}

func (h *Handler) createProduct(w http.ResponseWriter, r *http.Request) {
	var body struct {
		FacilityID     int64    `json:"facility_id"`
		Code           string   `json:"code"`
		Name           string   `json:"name"`
		OCOPStars      *int     `json:"ocop_stars"`
		Description    string   `json:"description"`
		Story          string   `json:"story"`
		Certifications []string `json:"certifications"`
		GTIN           string   `json:"gtin"`
	}
	if err := decode(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	p := core.Product{FacilityID: body.FacilityID, Code: body.Code, Name: body.Name, OCOPStars: body.OCOPStars,
		Description: body.Description, Story: body.Story, Certifications: body.Certifications,
		GTIN: body.GTIN}
	if p.Certifications == nil {
		p.Certifications = []string{}
	}
	h.respond(w, r, http.StatusCreated, &p, h.Products.CreateProduct(r.Context(), &p))
}

func (h *Handler) createMember(w http.ResponseWriter, r *http.Request) {
	var body struct {
		FacilityID     int64     `json:"facility_id"`
		Name           string    `json:"name"`
		Phone          string    `json:"phone"`
		TelegramUserID int64     `json:"telegram_user_id"`
		Lang           core.Lang `json:"lang"`
	}
	if err := decode(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	tel, err := core.TelURN(body.Phone)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m := core.Member{FacilityID: body.FacilityID, Name: body.Name, Lang: body.Lang, URNs: []core.URN{tel}}
	if body.TelegramUserID != 0 {
		tg, err := core.TelegramURN(body.TelegramUserID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		m.URNs = append(m.URNs, tg)
	}
	h.respond(w, r, http.StatusCreated, &m, h.Members.CreateMember(r.Context(), &m))
}

func (h *Handler) createStampBatch(w http.ResponseWriter, r *http.Request) {
	var body struct {
		FacilityID int64 `json:"facility_id"`
		Count      int   `json:"count"`
		PIN        bool  `json:"pin"` // hidden PINs, printed under a scratch-off
	}
	if err := decode(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	b, err := h.Stamps.IssueBatch(r.Context(), body.FacilityID, body.Count, body.PIN)
	h.respond(w, r, http.StatusCreated, b, err)
}

// stampsCSV streams the batch for the printer: serial, code, and the URL
// the stamp's QR code carries.
func (h *Handler) stampsCSV(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "batch id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Find the batch before the first byte, so a missing one is a clean 404.
	b, err := h.Stamps.FindBatchByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := WriteStampsCSV(r.Context(), w, h.Stamps, b, h.BaseURL); err != nil {
		// The status is gone; a cut CSV is all the client can be told.
		h.logger().Error("stamps csv", "batch", id, "err", err)
	}
}

// WriteStampsCSV streams a batch as the printer takes it, headers and
// all: serial, code, the URL the stamp's QR code carries, and the hidden
// PIN when the batch has PINs.
func WriteStampsCSV(ctx context.Context, w http.ResponseWriter, stamps core.StampService, b *core.StampBatch, baseURL string) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="stamps-batch-%d.csv"`, b.ID))
	out := csv.NewWriter(w)
	header := []string{"serial", "code", "url"}
	if b.PIN {
		header = append(header, "pin")
	}
	_ = out.Write(header)
	err := stamps.EachStampOfBatch(ctx, b.ID, func(s core.Stamp) error {
		row := []string{strconv.FormatInt(s.Serial, 10), string(s.Code), baseURL + "/t/" + string(s.Code)}
		if b.PIN {
			row = append(row, s.PIN)
		}
		return out.Write(row)
	})
	out.Flush()
	if err == nil {
		err = out.Error()
	}
	return err
}

func (h *Handler) stats(w http.ResponseWriter, r *http.Request) {
	st, err := h.Stats.Stats(r.Context())
	h.respond(w, r, http.StatusOK, st, err)
}

// messages is a person's history, newest first: ?urn=tel:+84...,
// telegram:..., or a phone number in any form; ?limit= up to 1000.
func (h *Handler) messages(w http.ResponseWriter, r *http.Request) {
	urn, err := core.ParseURN(r.URL.Query().Get("urn"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	limit, err := queryLimit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	msgs, err := h.Messages.FindMessagesByURN(r.Context(), urn, limit)
	h.respond(w, r, http.StatusOK, msgs, err)
}
