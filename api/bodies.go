package api

import (
	"net/http"

	"fengqiao"
	"fengqiao/accounts"

	"github.com/gin-gonic/gin"
)

// createBody adds a body (机构) seated at a node.
func (s *Server) createBody(c *gin.Context) {
	var req accounts.NewBody
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	b, err := s.Accounts.CreateBody(c.Request.Context(), caller(c).Username, req)
	s.respond(c, http.StatusCreated, b, err)
}

// getBody answers one body.
func (s *Server) getBody(c *gin.Context) {
	b, err := s.Accounts.Body(c.Request.Context(), c.Param("code"))
	s.respond(c, http.StatusOK, b, err)
}

// listBodies lists the bodies, filtered by ?node= (the seat), ?type= and ?field=, a page at a time.
func (s *Server) listBodies(c *gin.Context) {
	limit, err := pageLimit(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := fengqiao.BodyFilter{Node: c.Query("node"), Type: fengqiao.BodyType(c.Query("type")), Field: c.Query("field")}
	p, err := s.Accounts.Bodies(c.Request.Context(), f, c.Query("cursor"), limit)
	s.respond(c, http.StatusOK, p, err)
}

// importBodies imports a CSV file (code,name,type,node,fields,superior) sent as the request body: all of
// it or, when any row is bad, nothing, with every problem named by its line and column.
func (s *Server) importBodies(c *gin.Context) {
	bodies, err := s.Accounts.ImportBodies(c.Request.Context(), caller(c).Username, c.Request.Body)
	s.respond(c, http.StatusOK, gin.H{"imported": len(bodies)}, err)
}
