package webconsole

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"tracegate/bots/spreadsheet"
	"tracegate/core"
)

// export writes a register as the import reads it, of what the account
// sees: an agency's whole province, a facility's own lists.
func (h *Handler) export(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	kind := r.PathValue("kind")
	reg := registers[kind]
	if reg == nil {
		h.notFound(w, r)
		return
	}
	t, err := exportTable(r.Context(), h.read(s.Account), kind, reg)
	if err != nil {
		h.failed(w, r, err)
		return
	}
	format := "csv"
	if r.URL.Query().Get("format") == "xlsx" {
		format = "xlsx"
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, kind, format))
	if format == "xlsx" {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		err = spreadsheet.WriteXLSX(w, t)
	} else {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		err = spreadsheet.WriteCSV(w, t)
	}
	if err != nil {
		h.Log.Error("console export", "kind", kind, "err", err)
	}
}

func exportTable(ctx context.Context, c core.Console, kind string, reg *register) (*spreadsheet.Table, error) {
	t := &spreadsheet.Table{Header: reg.names()}
	facilities, err := c.Facilities(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range facilities {
		rows, err := exportRows(ctx, c, kind, f)
		if err != nil {
			return nil, err
		}
		t.Rows = append(t.Rows, rows...)
	}
	return t, nil
}

func exportRows(ctx context.Context, c core.Console, kind string, f *core.Facility) ([][]string, error) {
	facility := strconv.FormatInt(f.ID, 10)
	switch kind {
	case "facilities":
		return [][]string{{f.Name, f.Address, f.Province, f.Phone, f.GLN}}, nil
	case "products":
		products, err := c.Products(ctx, f.ID)
		var rows [][]string
		for _, p := range products {
			stars := ""
			if p.OCOPStars != nil {
				stars = strconv.Itoa(*p.OCOPStars)
			}
			rows = append(rows, []string{facility, p.Code, p.Name, stars, strings.Join(p.Certifications, ", "), p.GTIN, p.Description, p.Story})
		}
		return rows, err
	}
	members, err := c.Members(ctx, f.ID)
	var rows [][]string
	for _, m := range members {
		byScheme := map[string]string{}
		for _, u := range m.URNs {
			if byScheme[u.Scheme()] == "" {
				byScheme[u.Scheme()] = u.Path()
			}
		}
		rows = append(rows, []string{facility, m.Name, byScheme["tel"], byScheme["zalo"], byScheme["telegram"], string(m.Lang)})
	}
	return rows, err
}
