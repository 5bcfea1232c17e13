package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// risks is the risk board (GET /api/v1/risks?node=&open=true): the caller's subtree, most severe first,
// then the oldest; open=false adds the closed ones.
func (s *Server) risks(c *gin.Context) {
	limit, err := pageLimit(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, err := s.Cases.Risks(c.Request.Context(), caller(c).Username, c.Query("node"), c.Query("open") == "false", limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"risks": items})
}
