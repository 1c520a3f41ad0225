package webconsole

import (
	"context"
	"encoding/json"
	"net/http"

	"tracegate/bots/dialog"
	"tracegate/bots/spreadsheet"
	"tracegate/core"
)

// maxImport bounds an uploaded register: a province's thousands of rows
// fit many times over.
const maxImport = 4 << 20

// importPage is the form, or the preview of a file: every row with its
// problems, and the button that writes them only when there are none.
type importPage struct {
	page
	Kinds   []string
	Kind    string
	Columns []string
	Plan    *importPlan
	Table   string // the table as read, carried by the confirm form
	Problem string // why the file could not be read
}

func (h *Handler) importForm(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	if s.Account.Role != core.RoleAgency {
		h.fail(w, r, http.StatusForbidden, "console_forbidden")
		return
	}
	kind := r.URL.Query().Get("kind")
	if registers[kind] == nil {
		kind = "facilities"
	}
	h.render(w, http.StatusOK, "import.html", importPage{page: newPage(r, s), Kinds: registerNames, Kind: kind, Columns: registers[kind].names()})
}

// importPreview reads the uploaded file and shows what it would write.
func (h *Handler) importPreview(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	kind := r.PostFormValue("kind")
	reg := registers[kind]
	if s.Account.Role != core.RoleAgency || reg == nil {
		h.fail(w, r, http.StatusForbidden, "console_forbidden")
		return
	}
	p := importPage{page: newPage(r, s), Kinds: registerNames, Kind: kind, Columns: reg.names()}
	file, head, err := r.FormFile("file")
	if err != nil {
		p.Problem = "console_import_no_file"
		h.render(w, http.StatusBadRequest, "import.html", p)
		return
	}
	defer file.Close()
	t, err := spreadsheet.Read(head.Filename, file, maxImport)
	if err != nil {
		p.Problem = err.Error()
		h.render(w, http.StatusBadRequest, "import.html", p)
		return
	}
	if p.Plan, err = h.plan(r.Context(), s.Account, reg, t); err != nil {
		h.failed(w, r, err)
		return
	}
	raw, _ := json.Marshal(t)
	p.Table = string(raw)
	status := http.StatusOK
	if !p.Plan.OK() {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, status, "import.html", p)
}

// importConfirm writes a previewed table, read again and checked again,
// in one transaction: every row, or none.
func (h *Handler) importConfirm(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	reg := registers[r.PostFormValue("kind")]
	var t spreadsheet.Table
	if s.Account.Role != core.RoleAgency || reg == nil {
		h.fail(w, r, http.StatusForbidden, "console_forbidden")
		return
	}
	if err := json.Unmarshal([]byte(r.PostFormValue("table")), &t); err != nil || len(t.Header) == 0 {
		h.failed(w, r, core.Errorf(core.EINVALID, "the previewed table did not come back; upload the file again"))
		return
	}
	err := h.change(r.Context(), s.Account, func(ctx context.Context, c core.Console, _ *dialog.Dialog) ([]dialog.Notice, error) {
		plan, err := planWith(ctx, c, reg, &t)
		if err != nil {
			return nil, err
		}
		if !plan.OK() {
			return nil, core.Errorf(core.EINVALID, "%d rows have problems; nothing was written", plan.Refused())
		}
		return nil, plan.write(ctx, c)
	})
	if err != nil {
		h.failed(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/facilities?done=console_imported", http.StatusSeeOther)
}

func (h *Handler) plan(ctx context.Context, acct *core.Account, reg *register, t *spreadsheet.Table) (*importPlan, error) {
	return planWith(ctx, h.read(acct), reg, t)
}

// importPlan is a table read as a register: each row's value and its
// problems.
type importPlan struct {
	Missing []string // required columns the file lacks
	Rows    []importRow
}

type importRow struct {
	Line     int
	Cells    []string
	Problems []string
	write    func(ctx context.Context, c core.Console) error
}

// OK says the whole file can be written.
func (p *importPlan) OK() bool { return len(p.Missing) == 0 && p.Refused() == 0 && len(p.Rows) > 0 }

// Refused counts the rows with a problem.
func (p *importPlan) Refused() int {
	n := 0
	for _, r := range p.Rows {
		if len(r.Problems) > 0 {
			n++
		}
	}
	return n
}

func (p *importPlan) write(ctx context.Context, c core.Console) error {
	for _, r := range p.Rows {
		if err := r.write(ctx, c); err != nil {
			return core.Errorf(core.ErrorCodeOf(err), "row %d: %s", r.Line, core.ErrorMessage(err))
		}
	}
	return nil
}

// planWith reads every row of t against what the console sees.
func planWith(ctx context.Context, c core.Console, reg *register, t *spreadsheet.Table) (*importPlan, error) {
	cols := reg.columns(t.Header)
	plan := &importPlan{}
	for _, col := range reg.cols {
		if col.required && cols[col.name] < 0 {
			plan.Missing = append(plan.Missing, col.name)
		}
	}
	if len(plan.Missing) > 0 {
		return plan, nil
	}
	look, err := newLookup(ctx, c)
	if err != nil {
		return nil, err
	}
	for i, cells := range t.Rows {
		get := func(name string) string {
			if j := cols[name]; j >= 0 && j < len(cells) {
				return cells[j]
			}
			return ""
		}
		row := importRow{Line: t.RowNumber(i), Cells: cells}
		row.write, row.Problems = reg.read(look, get)
		plan.Rows = append(plan.Rows, row)
	}
	return plan, nil
}
