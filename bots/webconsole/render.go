package webconsole

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"tracegate/core"
	"tracegate/locales"
)

// page is what every console page knows: the language, who is logged in
// and the token its forms carry.
type page struct {
	Lang    core.Lang
	Other   core.Lang
	Path    string
	Account *core.Account
	CSRF    string
	Notice  string // a message id: what the last change did
}

func newPage(r *http.Request, s *core.Session) page {
	p := page{Lang: langOf(r), Other: core.LangEN, Path: r.URL.Path}
	if n := r.URL.Query().Get("done"); notices[n] {
		p.Notice = n
	}
	if p.Lang == core.LangEN {
		p.Other = core.LangVI
	}
	if s != nil {
		p.Account, p.CSRF = s.Account, s.CSRF
	}
	return p
}

// notices are what a page may say was just done (?done=): no other
// text comes from the address.
var notices = map[string]bool{
	"console_facility_created": true, "console_facility_saved": true, "console_product_created": true,
	"console_member_added": true, "console_member_removed": true, "console_batch_issued": true,
	"console_lot_recalled": true, "console_imported": true, "console_feedback_answered": true,
	"console_lot_closed_now": true, "console_entry_undone": true, "console_product_saved": true,
}

// langOf is ?lang=en, or the language the officer chose last (a cookie),
// Vietnamese by default.
func langOf(r *http.Request) core.Lang {
	if l := core.Lang(r.URL.Query().Get("lang")); l.Valid() {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && core.Lang(c.Value).Valid() {
		return core.Lang(c.Value)
	}
	return core.LangVI
}

var funcs = template.FuncMap{
	"t":     locales.Pairs,
	"date":  locales.Date,
	"clock": locales.Clock,
	"stars": func(n *int) string {
		if n == nil {
			return ""
		}
		return strings.Repeat("★", *n)
	},
	"qty": func(lang core.Lang, q any) string {
		switch v := q.(type) {
		case *core.Quantity:
			return locales.Quantity(lang, v)
		case core.Quantity:
			return locales.Quantity(lang, &v)
		}
		return ""
	},
	"join":     strings.Join,
	"list":     func(xs ...int) []int { return xs },
	"starsAre": func(stars *int, n int) bool { return stars != nil && *stars == n },
	"str":      func(b []byte) string { return string(b) },
	"isTel":    func(u core.URN) bool { return u.Scheme() == "tel" },
}

// render writes a page whole, or a 500 if its template fails: never half
// a page.
func (h *Handler) render(w http.ResponseWriter, status int, name string, data any) {
	if r, ok := data.(interface{ lang() core.Lang }); ok && r.lang() != "" {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(r.lang()), Path: "/admin", MaxAge: 365 * 24 * 3600,
			SameSite: http.SameSiteLaxMode})
	}
	var buf bytes.Buffer
	if err := h.pages.ExecuteTemplate(&buf, name, data); err != nil {
		h.Log.Error("console template", "page", name, "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (p page) lang() core.Lang { return p.Lang }

type failPage struct {
	page
	Message string // a message id
	Detail  string // core's words for a refusal, as the operator reads them
}

// fail answers with a page that says what went wrong, in words.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, message string) {
	h.render(w, status, "fail.html", failPage{page: newPage(r, sessionOf(r)), Message: message})
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, http.StatusNotFound, "console_not_found")
}

// failed answers an error from core: what the account may not see is
// 404, whatever the reason; a rule broken is 400 with core's words.
func (h *Handler) failed(w http.ResponseWriter, r *http.Request, err error) {
	switch core.ErrorCodeOf(err) {
	case core.ENOTFOUND:
		h.notFound(w, r)
	case core.EFORBIDDEN:
		h.fail(w, r, http.StatusForbidden, "console_forbidden")
	case core.EINVALID, core.ECONFLICT:
		status := http.StatusBadRequest
		if core.ErrorCodeOf(err) == core.ECONFLICT {
			status = http.StatusConflict
		}
		h.render(w, status, "fail.html", failPage{page: newPage(r, sessionOf(r)), Message: "console_refused", Detail: core.ErrorMessage(err)})
	default:
		h.Log.Error("console", "path", r.URL.Path, "err", err)
		h.fail(w, r, http.StatusInternalServerError, "console_try_again")
	}
}

// pathID reads an id from the path; a malformed one is an object that
// does not exist.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// done sends the browser back to a page after a change, saying what was
// done (a message id).
func done(w http.ResponseWriter, r *http.Request, to, message string) {
	http.Redirect(w, r, to+"?done="+message, http.StatusSeeOther)
}

// loadAll runs a page's reads in order, and answers the first that fails
// (a facility the account may not see is 404); false when one did.
func (h *Handler) loadAll(w http.ResponseWriter, r *http.Request, loads ...func() error) bool {
	for _, load := range loads {
		if err := load(); err != nil {
			h.failed(w, r, err)
			return false
		}
	}
	return true
}
