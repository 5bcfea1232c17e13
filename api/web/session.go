package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"fengqiao"
	"fengqiao/api"
	"fengqiao/store"
)

// Cookie names.
const (
	sessionCookie = "fq_session" // the login token (HttpOnly)
	anonCookie    = "fq_csrf"    // double-submit CSRF secret of forms used before logging in
	langCookie    = "fq_lang"
)

// session is the logged-in user of a request and the token that proves it.
type session struct {
	token string
	user  store.UserRow
}

type sessionKey struct{}

func sessionOf(r *http.Request) *session {
	s, _ := r.Context().Value(sessionKey{}).(*session)
	return s
}

// csrfFor is the CSRF token of a session: an HMAC keyed by the session token, so it needs no storage,
// works on every server, and cannot be computed without the HttpOnly cookie.
func csrfFor(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("fengqiao web csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// anonCSRF is the double-submit token of forms shown before logging in (login, public query): the
// value of the fq_csrf cookie, which the caller must have set by ensureAnonCookie.
func anonCSRF(r *http.Request) string {
	if v, ok := r.Context().Value(anonKey{}).(string); ok {
		return v
	}
	if c, err := r.Cookie(anonCookie); err == nil && len(c.Value) >= 16 {
		return c.Value
	}
	return ""
}

type anonKey struct{}

// ensureAnonCookie sets the double-submit cookie when the browser has none and returns the request
// that carries its value.
func (h *handler) ensureAnonCookie(w http.ResponseWriter, r *http.Request) *http.Request {
	if c, err := r.Cookie(anonCookie); err == nil && len(c.Value) >= 16 {
		return r
	}
	v := randomString(24)
	http.SetCookie(w, &http.Cookie{Name: anonCookie, Value: v, Path: "/", HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteLaxMode})
	return r.WithContext(context.WithValue(r.Context(), anonKey{}, v))
}

// checkCSRF reports whether the form's csrf field matches the session's (or, before login, the
// double-submit cookie's) token.
func checkCSRF(r *http.Request) bool {
	got := r.PostFormValue("csrf")
	if got == "" {
		return false
	}
	var want string
	if s := sessionOf(r); s != nil {
		want = csrfFor(s.token)
	} else if c, err := r.Cookie(anonCookie); err == nil && len(c.Value) >= 16 {
		want = c.Value
	}
	return want != "" && hmac.Equal([]byte(got), []byte(want))
}

// forbidCSRF answers 403 for a POST without the right CSRF token.
func (h *handler) forbidCSRF(w http.ResponseWriter, r *http.Request) {
	h.log.WarnContext(r.Context(), "csrf token missing or wrong", "path", r.URL.Path)
	h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "the form's security token is missing or stale: reload the page and try again"))
}

// authed admits a request whose session cookie holds a valid login token; without one a GET is sent
// to the login page and anything else is 401. A failed check (the database is down) is the error
// page. Every POST must carry the CSRF token.
func (h *handler) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := sessionToken(r)
		u, err := h.Accounts.Authenticate(r.Context(), token)
		switch {
		case fengqiao.ErrorCode(err) == fengqiao.ECodeUnauthenticated && r.Method == http.MethodGet:
			redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
			return
		case err != nil:
			h.fail(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, &session{token: token, user: u}))
		if r.Method == http.MethodPost && !checkCSRF(r) {
			h.forbidCSRF(w, r)
			return
		}
		next(w, r)
	}
}

// sessionToken is the login token of the session cookie, or "".
func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// home sends a logged-in user to the workbench and anyone else to the login page.
func (h *handler) home(w http.ResponseWriter, r *http.Request) {
	_, err := h.Accounts.Authenticate(r.Context(), sessionToken(r))
	switch {
	case err == nil:
		redirect(w, r, "/workbench")
	case fengqiao.ErrorCode(err) == fengqiao.ECodeUnauthenticated:
		redirect(w, r, "/login")
	default:
		h.fail(w, r, err)
	}
}

type loginData struct {
	Username string
	Next     string
}

func (h *handler) loginPage(w http.ResponseWriter, r *http.Request) {
	r = h.ensureAnonCookie(w, r)
	p := h.newPage(r, "nav.login")
	p.Data = loginData{Next: safeNext(r.URL.Query().Get("next"))}
	h.render(w, r, http.StatusOK, "login", p)
}

// login logs in as the API does (accounts.Service.Login: the same throttle, the same checks) and keeps
// the token in the session cookie. Wrong credentials show the form again; a throttled attempt or an
// outage is the error page.
func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	if !checkCSRF(r) {
		h.forbidCSRF(w, r)
		return
	}
	username, password := trim(r.PostFormValue("username")), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	sess, err := h.Accounts.Login(r.Context(), clientAddr(r), username, password)
	switch code := fengqiao.ErrorCode(err); code {
	case "":
	case fengqiao.ECodeUnauthenticated, fengqiao.ECodeInvalid:
		p := h.newPage(r, "nav.login")
		p.Error = p.T("login.bad")
		p.Data = loginData{Username: username, Next: next}
		h.render(w, r, api.StatusOf(code), "login", p)
		return
	default:
		h.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.Token, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteLaxMode})
	if next == "" {
		next = "/workbench"
	}
	redirect(w, r, next)
}

// logout revokes the token (the same table as the API's, so the token is dead everywhere).
func (h *handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := h.Accounts.Logout(r.Context(), sessionOf(r).token); err != nil {
		h.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteLaxMode})
	redirect(w, r, "/login")
}

// safeNext keeps a post-login target only when it is a local path (no open redirect).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	return next
}

// lang is the page language: ?lang= (remembered by the caller's cookie), else the cookie, else zh.
func (h *handler) lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "en" || c.Value == "zh") {
		return c.Value
	}
	return "zh"
}

// rememberLang stores ?lang= in a cookie; called by the mux wrapper for every GET.
func (h *handler) rememberLang(w http.ResponseWriter, r *http.Request) {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteLaxMode})
	}
}
