package webconsole

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"tracegate/core"
)

const (
	sessionCookie = "tracegate_session"
	loginCookie   = "tracegate_login" // the login form's CSRF token, before there is a session
)

type sessionKey struct{}

// sessionOf is the request's session; authed put it there.
func sessionOf(r *http.Request) *core.Session {
	s, _ := r.Context().Value(sessionKey{}).(*core.Session)
	return s
}

// authed lets a request through only with a live session, and a form
// only with the session's CSRF token: a page elsewhere cannot post in the
// officer's name.
func (h *Handler) authed(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := h.session(r)
		if err != nil {
			if core.ErrorCodeOf(err) != core.ENOTFOUND {
				h.Log.Error("console session", "err", err)
			}
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			// Before the form is read: an upload is a register, not a disk's worth.
			r.Body = http.MaxBytesReader(w, r.Body, maxImport+64<<10)
		}
		if r.Method == http.MethodPost && !sameToken(r.PostFormValue("csrf"), s.CSRF) {
			h.fail(w, r, http.StatusForbidden, "console_csrf")
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, s)))
	})
}

// session is the live session of the request's cookie.
func (h *Handler) session(r *http.Request) (*core.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, core.Errorf(core.ENOTFOUND, "no session")
	}
	s, err := h.Services.Accounts.FindSession(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	s.Token = c.Value
	return s, nil
}

// Officer is the account logged in on a request, nil for none: the
// public site prints sheets and shows flagged codes by it.
func (h *Handler) Officer(r *http.Request) *core.Account {
	s, err := h.session(r)
	if err != nil {
		return nil
	}
	return s.Account
}

func sameToken(given, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(given), []byte(want)) == 1
}

func newToken() string {
	var b [24]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (h *Handler) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/admin", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(h.BaseURL, "https://")}
}

type loginPage struct {
	page
	Login string
	CSRF  string
	Error string // a message id
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	h.showLogin(w, r, http.StatusOK, "", "")
}

// showLogin renders the form with a fresh CSRF token in its cookie.
func (h *Handler) showLogin(w http.ResponseWriter, r *http.Request, status int, login, problem string) {
	token := newToken()
	http.SetCookie(w, h.cookie(loginCookie, token, 3600))
	h.render(w, status, "login.html", loginPage{page: newPage(r, nil), Login: login, CSRF: token, Error: problem})
}

// logIn opens a session. A wrong login and a wrong password are answered
// alike, so logins cannot be found out; past the limit the answer says
// to wait.
func (h *Handler) logIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameToken(r.PostFormValue("csrf"), c.Value) {
		h.fail(w, r, http.StatusForbidden, "console_csrf")
		return
	}
	login := strings.ToLower(strings.TrimSpace(r.PostFormValue("login")))
	s, err := h.Services.Accounts.LogIn(r.Context(), login, r.PostFormValue("password"), h.Clients.Client(r))
	var e *core.Error
	switch {
	case errors.As(err, &e) && e.Reason == core.ReasonLoginLimited:
		h.showLogin(w, r, http.StatusTooManyRequests, login, "console_login_limited")
		return
	case core.ErrorCodeOf(err) == core.EFORBIDDEN || core.ErrorCodeOf(err) == core.EINVALID:
		h.showLogin(w, r, http.StatusUnauthorized, login, "console_login_wrong")
		return
	case err != nil:
		h.Log.Error("console login", "err", err)
		h.fail(w, r, http.StatusInternalServerError, "console_try_again")
		return
	}
	http.SetCookie(w, h.cookie(loginCookie, "", -1))
	http.SetCookie(w, h.cookie(sessionCookie, s.Token, 0))
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
}

func (h *Handler) logOut(w http.ResponseWriter, r *http.Request) {
	if err := h.Services.Accounts.LogOut(r.Context(), sessionOf(r).Token); err != nil {
		h.Log.Error("console logout", "err", err)
	}
	http.SetCookie(w, h.cookie(sessionCookie, "", -1))
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}
