package api

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"fengqiao"
	"fengqiao/store"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"
)

var (
	errNoRoute     = fengqiao.Errorf(fengqiao.ECodeNotFound, "no such resource")
	errNoMethod    = &fengqiao.Error{Code: fengqiao.ECodeNotAllowed, Message: "this method is not allowed on this resource"}
	errPanic       = errors.New("handler panicked")
	errNoToken     = fengqiao.Errorf(fengqiao.ECodeUnauthenticated, "send Authorization: Bearer <token>; log in at POST /api/v1/auth/login")
	errBadToken    = fengqiao.Errorf(fengqiao.ECodeUnauthenticated, "the token is unknown, expired or revoked; log in again")
	errBadLogin    = fengqiao.Errorf(fengqiao.ECodeUnauthenticated, "wrong username or password")
	errForbidden   = fengqiao.Errorf(fengqiao.ECodeForbidden, "your roles do not allow this")
	errUnavailable = fengqiao.Errorf(fengqiao.ECodeUnavailable, "a backing service is unavailable; try again shortly")
)

// BcryptCost is the work factor for password hashes.
const BcryptCost = 11

// HashPassword returns a bcrypt hash of password.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), BcryptCost)
	return string(h), err
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string      `json:"token"`
	ExpiresAt string      `json:"expires_at"`
	User      userDetails `json:"user"`
}

type userDetails struct {
	Username    string           `json:"username"`
	DisplayName string           `json:"display_name"`
	Disabled    bool             `json:"disabled"`
	Roles       []fengqiao.Grant `json:"roles"`
}

func (s *Server) userDetails(u store.UserRow) userDetails {
	grants := s.Policy.Grants(u.Username)
	if grants == nil {
		grants = []fengqiao.Grant{}
	}
	return userDetails{Username: u.Username, DisplayName: u.DisplayName, Disabled: u.Disabled, Roles: grants}
}

// login checks a username and password and issues a bearer token, stored hashed so that it survives
// restarts and can be revoked.
func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var v fengqiao.Validation
	v.Check(req.Username != "", "username", "is required")
	v.Check(req.Password != "", "password", "is required")
	if err := v.Err(); err != nil {
		s.fail(c, err)
		return
	}
	if s.limited(c, s.limits.loginAddr, c.ClientIP()) || s.limited(c, s.limits.loginUser, req.Username) {
		return
	}
	ctx := c.Request.Context()
	u, err := s.DB.User(ctx, req.Username)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Spend the same time as for a known user, so response times do not tell which usernames exist.
		s.dummyHashOnce.Do(func() {
			s.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), BcryptCost)
		})
		_ = bcrypt.CompareHashAndPassword(s.dummyHash, []byte(req.Password))
		s.fail(c, errBadLogin)
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(req.Password)) != nil || u.Disabled {
		s.fail(c, errBadLogin)
		return
	}
	token, err := newToken()
	if err != nil {
		s.fail(c, err)
		return
	}
	row, err := s.DB.SaveToken(ctx, token, u.Username, s.TokenTTL)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, loginResponse{Token: token, ExpiresAt: row.ExpiresAt.Format(timeFormat), User: s.userDetails(u)})
}

func (s *Server) logout(c *gin.Context) {
	if err := s.DB.RevokeToken(c.Request.Context(), bearer(c)); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) me(c *gin.Context) {
	c.JSON(http.StatusOK, s.userDetails(caller(c)))
}

// authenticate admits a request with a valid bearer token and records its user in the context.
func (s *Server) authenticate(c *gin.Context) {
	token := bearer(c)
	if token == "" {
		s.fail(c, errNoToken)
		return
	}
	u, err := s.DB.TokenUser(c.Request.Context(), token)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(c, errBadToken)
		return
	}
	if err != nil {
		s.log.Warn("authenticate: token lookup", "error", err)
		s.fail(c, errUnavailable)
		return
	}
	c.Set(callerKey, u)
	c.Next()
}

const callerKey = "fengqiao.caller"

// caller returns the authenticated user of the request.
func caller(c *gin.Context) store.UserRow {
	u, _ := c.Get(callerKey)
	row, _ := u.(store.UserRow)
	return row
}

func bearer(c *gin.Context) string {
	h := c.GetHeader("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func newToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

const timeFormat = "2006-01-02T15:04:05Z07:00"
