package webconsole

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"tracegate/bots/dialog"
	"tracegate/core"
)

// productFromForm reads a product: stars left empty are none, and the
// certifications are one a line or comma-separated.
func productFromForm(r *http.Request, facilityID int64) (*core.Product, error) {
	p := &core.Product{FacilityID: facilityID, Code: r.PostFormValue("code"), Name: r.PostFormValue("name"),
		Description: r.PostFormValue("description"), Story: r.PostFormValue("story"), GTIN: r.PostFormValue("gtin")}
	if stars := strings.TrimSpace(r.PostFormValue("stars")); stars != "" {
		n, err := strconv.Atoi(stars)
		if err != nil {
			return nil, core.Errorf(core.EINVALID, "ocop_stars must be 3, 4 or 5")
		}
		p.OCOPStars = &n
	}
	for _, c := range strings.FieldsFunc(r.PostFormValue("certifications"), func(r rune) bool { return r == ',' || r == '\n' }) {
		if c = strings.TrimSpace(c); c != "" {
			p.Certifications = append(p.Certifications, c)
		}
	}
	return p, nil
}

func (h *Handler) createProduct(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	p, err := productFromForm(r, id)
	if err == nil {
		err = h.change(r.Context(), sessionOf(r).Account, func(ctx context.Context, c core.Console, _ *dialog.Dialog) ([]dialog.Notice, error) {
			return nil, c.CreateProduct(ctx, p)
		})
	}
	if err != nil {
		h.failed(w, r, err)
		return
	}
	done(w, r, facilityURL(id), "console_product_created")
}

func facilityURL(id int64) string { return "/admin/facilities/" + strconv.FormatInt(id, 10) }

type productForm struct {
	page
	Facility *core.Facility
	Product  *core.Product
}

func (h *Handler) editProduct(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	id, ok1 := pathID(r, "id")
	product, ok2 := pathID(r, "product")
	if !ok1 || !ok2 {
		h.notFound(w, r)
		return
	}
	c := h.read(s.Account)
	f, err := c.Facility(r.Context(), id)
	if err != nil {
		h.failed(w, r, err)
		return
	}
	p, err := c.Product(r.Context(), id, product)
	if err != nil {
		h.failed(w, r, err)
		return
	}
	h.render(w, http.StatusOK, "product_form.html", productForm{page: newPage(r, s), Facility: f, Product: p})
}

func (h *Handler) updateProduct(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r, "id")
	product, ok2 := pathID(r, "product")
	if !ok1 || !ok2 {
		h.notFound(w, r)
		return
	}
	p, err := productFromForm(r, id)
	if err == nil {
		p.ID = product
		err = h.change(r.Context(), sessionOf(r).Account, func(ctx context.Context, c core.Console, _ *dialog.Dialog) ([]dialog.Notice, error) {
			return nil, c.UpdateProduct(ctx, p)
		})
	}
	if err != nil {
		h.failed(w, r, err)
		return
	}
	done(w, r, facilityURL(id), "console_product_saved")
}
