package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/accounts"
	"fengqiao/store"

	"github.com/gin-gonic/gin"
)

var (
	errNoRoute     = fengqiao.Errorf(fengqiao.ECodeNotFound, "no such resource")
	errPanic       = errors.New("handler panicked")
	errNoToken     = fengqiao.Errorf(fengqiao.ECodeUnauthenticated, "send Authorization: Bearer <token>; log in at POST /api/v1/auth/login")
	errUnavailable = fengqiao.Errorf(fengqiao.ECodeUnavailable, "a backing service is unavailable; try again shortly")
)

// HashPassword returns a bcrypt hash of password: accounts.HashPassword, kept for the callers outside
// the HTTP layer that still name it here.
func HashPassword(password string) (string, error) { return accounts.HashPassword(password) }

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string        `json:"token"`
	ExpiresAt string        `json:"expires_at"`
	User      fengqiao.User `json:"user"`
}

// login checks a username and password and issues a bearer token.
func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	sess, err := s.Accounts.Login(c.Request.Context(), c.ClientIP(), req.Username, req.Password)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, loginResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt.Format(time.RFC3339), User: sess.User})
}

func (s *Server) logout(c *gin.Context) {
	if err := s.Accounts.Logout(c.Request.Context(), bearer(c)); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) me(c *gin.Context) {
	c.JSON(http.StatusOK, s.Accounts.Details(caller(c)))
}

// authenticate admits a request with a valid bearer token and records its user in the context.
func (s *Server) authenticate(c *gin.Context) {
	token := bearer(c)
	if token == "" {
		s.fail(c, errNoToken)
		return
	}
	u, err := s.Accounts.Authenticate(c.Request.Context(), token)
	if err != nil {
		s.fail(c, err)
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
