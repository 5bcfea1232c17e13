package api

import (
	"context"
	"net/http"
	"strconv"

	"fengqiao"
	"fengqiao/accounts"

	"github.com/gin-gonic/gin"
)

// respond answers with v and status, or with err.
func (s *Server) respond(c *gin.Context, status int, v any, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, v)
}

func (s *Server) createJurisdiction(c *gin.Context) {
	var req accounts.NewJurisdiction
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	n, err := s.Accounts.CreateJurisdiction(c.Request.Context(), caller(c).Username, req)
	s.respond(c, http.StatusCreated, n, err)
}

func (s *Server) getJurisdiction(c *gin.Context) {
	n, err := s.Accounts.Jurisdiction(c.Request.Context(), c.Param("code"))
	s.respond(c, http.StatusOK, n, err)
}

// listJurisdictions lists the children of ?parent= (the roots without it), a page at a time.
func (s *Server) listJurisdictions(c *gin.Context) {
	limit, err := pageLimit(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.Accounts.Jurisdictions(c.Request.Context(), c.Query("parent"), c.Query("cursor"), limit)
	s.respond(c, http.StatusOK, p, err)
}

// importJurisdictions imports a CSV file (code,name,tier,parent_code) sent as the request body: all of
// it or, when any row is bad, nothing, with every bad row named by its line number.
func (s *Server) importJurisdictions(c *gin.Context) {
	n, err := s.Accounts.ImportJurisdictions(c.Request.Context(), caller(c).Username, c.Request.Body)
	s.respond(c, http.StatusOK, gin.H{"imported": n}, err)
}

func (s *Server) createUser(c *gin.Context) {
	var req accounts.NewUser
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.Accounts.CreateUser(c.Request.Context(), caller(c).Username, req)
	s.respond(c, http.StatusCreated, u, err)
}

func (s *Server) getUser(c *gin.Context) {
	u, err := s.Accounts.User(c.Request.Context(), caller(c).Username, c.Param("username"))
	s.respond(c, http.StatusOK, u, err)
}

func (s *Server) listUsers(c *gin.Context) {
	limit, err := pageLimit(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.Accounts.Users(c.Request.Context(), caller(c).Username, c.Query("cursor"), limit)
	s.respond(c, http.StatusOK, p, err)
}

func (s *Server) grantRole(c *gin.Context)  { s.changeGrant(c, s.Accounts.Grant) }
func (s *Server) revokeRole(c *gin.Context) { s.changeGrant(c, s.Accounts.Revoke) }

// changeGrant grants or revokes (change) the role of the body at its jurisdiction.
func (s *Server) changeGrant(c *gin.Context, change func(ctx context.Context, actor, username string, in accounts.GrantRequest) (fengqiao.User, error)) {
	var req accounts.GrantRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := change(c.Request.Context(), caller(c).Username, c.Param("username"), req)
	s.respond(c, http.StatusOK, u, err)
}

// page cuts a list fetched with limit+1 rows to limit and returns the cursor of the next page (the key
// of the last row kept), or nil on the last page.
func page[T any](rows []T, limit int, key func(T) string) ([]T, *string) {
	if len(rows) <= limit {
		return rows, nil
	}
	rows = rows[:limit]
	cur := key(rows[limit-1])
	return rows, &cur
}

// pageLimit reads ?limit= (default 50, at most 500).
func pageLimit(c *gin.Context) (int, error) {
	raw := c.Query("limit")
	if raw == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 500 {
		return 0, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "limit must be a whole number from 1 to 500",
			Fields: []fengqiao.FieldError{{Field: "limit", Message: "must be a whole number from 1 to 500"}}}
	}
	return n, nil
}
