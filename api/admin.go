package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"

	"github.com/gin-gonic/gin"
)

// allow answers 403 (and returns false) unless the caller may do action at node.
func (s *Server) allow(c *gin.Context, action policy.Action, node string) bool {
	ok, err := s.Policy.Can(caller(c).Username, action, node)
	if err != nil {
		s.fail(c, err)
		return false
	}
	if !ok {
		s.audit(c, string(action), node, c.Request.Method+" "+c.FullPath(), auditDenied, "")
		s.fail(c, errForbidden)
		return false
	}
	return true
}

type jurisdictionRequest struct {
	Code       string        `json:"code"`
	Name       string        `json:"name"`
	Tier       fengqiao.Tier `json:"tier"`
	ParentCode string        `json:"parent_code"`
}

func (s *Server) createJurisdiction(c *gin.Context) {
	var req jurisdictionRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	n := fengqiao.Node{Code: strings.TrimSpace(req.Code), Name: strings.TrimSpace(req.Name), Tier: req.Tier, ParentCode: strings.TrimSpace(req.ParentCode)}
	if err := store.ValidateNode(n); err != nil {
		s.fail(c, err)
		return
	}
	// Creating a root city needs a global admin; anything else, an admin whose node covers the parent.
	// Division codes are public, so naming an unknown parent leaks nothing.
	scope := policy.Global
	if n.ParentCode != "" {
		if _, err := s.DB.Node(c.Request.Context(), n.ParentCode); errors.Is(err, store.ErrNotFound) {
			s.fail(c, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "parent_code: no such jurisdiction " + n.ParentCode,
				Fields: []fengqiao.FieldError{{Field: "parent_code", Message: "no such jurisdiction " + n.ParentCode}}})
			return
		} else if err != nil {
			s.fail(c, err)
			return
		}
		scope = n.ParentCode
	}
	if !s.allow(c, policy.ActionAdminJurisdictions, scope) {
		return
	}
	created, err := s.DB.CreateNode(c.Request.Context(), n)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.Policy.NodeAdded(c.Request.Context(), created); err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, string(policy.ActionAdminJurisdictions), created.Code, "jurisdiction/"+created.Code, auditOK, "created "+string(created.Tier))
	c.JSON(http.StatusCreated, created)
}

func (s *Server) getJurisdiction(c *gin.Context) {
	n, err := s.DB.Node(c.Request.Context(), c.Param("code"))
	if errors.Is(err, store.ErrNotFound) {
		s.fail(c, fengqiao.Errorf(fengqiao.ECodeNotFound, "no jurisdiction %s", c.Param("code")))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

// listJurisdictions lists the children of ?parent= (the roots without it), a page at a time.
func (s *Server) listJurisdictions(c *gin.Context) {
	limit, err := pageLimit(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	nodes, err := s.DB.Children(c.Request.Context(), c.Query("parent"), c.Query("cursor"), limit+1)
	if err != nil {
		s.fail(c, err)
		return
	}
	nodes, next := page(nodes, limit, func(n fengqiao.Node) string { return n.Code })
	c.JSON(http.StatusOK, gin.H{"items": nodes, "next_cursor": next})
}

type userRequest struct {
	Username    string `json:"username"`
	Password    string `json:"password"`
	DisplayName string `json:"display_name"`
	Phone       string `json:"phone"`
}

// ValidUsername reports whether s can be a username: 2-64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit.
func ValidUsername(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || i > 0 && (r == '.' || r == '_' || r == '-')
		if !ok {
			return false
		}
	}
	return true
}

func (s *Server) createUser(c *gin.Context) {
	var req userRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var v fengqiao.Validation
	v.Check(ValidUsername(req.Username), "username", "must be 2-64 characters of a-z, 0-9, '.', '_' or '-'")
	v.Check(utf8.RuneCountInString(req.Password) >= 10 && len(req.Password) <= 72, "password", "must be 10 to 72 bytes long")
	v.Check(utf8.RuneCountInString(req.DisplayName) <= 100, "display_name", "must be at most 100 characters")
	v.Check(req.Phone == "" || fengqiao.ValidPhone(req.Phone), "phone", "must be a mainland mobile or fixed-line number")
	if err := v.Err(); err != nil {
		s.fail(c, err)
		return
	}
	if !s.allow(c, policy.ActionAdminUsers, policy.Global) {
		return
	}
	hash, err := HashPassword(req.Password)
	if err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.DB.CreateUser(c.Request.Context(), store.UserRow{Username: req.Username, PasswordHash: hash, DisplayName: req.DisplayName})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, string(policy.ActionAdminUsers), "", "user/"+u.Username, auditOK, "created")
	c.JSON(http.StatusCreated, s.userDetails(u))
}

func (s *Server) getUser(c *gin.Context) {
	if c.Param("username") != caller(c).Username && !s.allow(c, policy.ActionAdminUsers, policy.Global) {
		return
	}
	u, err := s.DB.User(c.Request.Context(), c.Param("username"))
	if errors.Is(err, store.ErrNotFound) {
		s.fail(c, fengqiao.Errorf(fengqiao.ECodeNotFound, "no user %s", c.Param("username")))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.userDetails(u))
}

func (s *Server) listUsers(c *gin.Context) {
	if !s.allow(c, policy.ActionAdminUsers, policy.Global) {
		return
	}
	limit, err := pageLimit(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows, err := s.DB.Users(c.Request.Context(), c.Query("cursor"), limit+1)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows, next := page(rows, limit, func(u store.UserRow) string { return u.Username })
	items := make([]userDetails, len(rows))
	for i, u := range rows {
		items[i] = s.userDetails(u)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

type grantRequest struct {
	Role         fengqiao.Role `json:"role"`
	Jurisdiction string        `json:"jurisdiction"`
}

func (s *Server) grantRole(c *gin.Context)  { s.changeGrant(c, true) }
func (s *Server) revokeRole(c *gin.Context) { s.changeGrant(c, false) }

// changeGrant grants or revokes a role at a node. An admin may grant only within the subtree their own
// admin grant covers.
func (s *Server) changeGrant(c *gin.Context, grant bool) {
	var req grantRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var v fengqiao.Validation
	v.Check(req.Role.Valid(), "role", "must be one of grid_worker, clerk, mediator, supervisor, court_officer, auditor, admin")
	v.Check(req.Jurisdiction == policy.Global || fengqiao.ValidNodeCode(req.Jurisdiction), "jurisdiction", "must be a jurisdiction code")
	if err := v.Err(); err != nil {
		s.fail(c, err)
		return
	}
	if !s.allow(c, policy.ActionAdminGrants, req.Jurisdiction) {
		return
	}
	ctx := c.Request.Context()
	username := c.Param("username")
	u, err := s.DB.User(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(c, fengqiao.Errorf(fengqiao.ECodeNotFound, "no user %s", username))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if grant {
		err = s.Policy.Grant(ctx, username, req.Role, req.Jurisdiction)
	} else {
		err = s.Policy.Revoke(ctx, username, req.Role, req.Jurisdiction)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	verb := "revoked "
	if grant {
		verb = "granted "
	}
	s.audit(c, string(policy.ActionAdminGrants), req.Jurisdiction, "user/"+username, auditOK, verb+string(req.Role))
	c.JSON(http.StatusOK, s.userDetails(u))
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

// importJurisdictions imports a CSV file (code,name,tier,parent_code) sent as the request body: all of
// it or, when any row is bad, nothing, with every bad row named by its line number.
func (s *Server) importJurisdictions(c *gin.Context) {
	if !s.allow(c, policy.ActionAdminJurisdictions, policy.Global) {
		return
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, 32<<20)
	nodes, err := s.DB.ImportNodes(c.Request.Context(), body)
	var ie *store.ImportError
	if errors.As(err, &ie) {
		fields := make([]fengqiao.FieldError, len(ie.Lines))
		for i, l := range ie.Lines {
			fields[i] = fengqiao.FieldError{Field: "line " + strconv.Itoa(l.Line), Message: l.Message}
		}
		s.fail(c, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: ie.Error(), Fields: fields})
		return
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.fail(c, fengqiao.Errorf(fengqiao.ECodeTooLarge, "the file is larger than 32 MiB"))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.Policy.TreeChanged(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, string(policy.ActionAdminJurisdictions), "", "jurisdictions/import", auditOK, "imported "+strconv.Itoa(len(nodes))+" nodes")
	c.JSON(http.StatusOK, gin.H{"imported": len(nodes)})
}
