package api

import (
	"net/http"
	"strconv"

	"fengqiao"

	"github.com/gin-gonic/gin"
)

// previewRouting answers where a new case would go and which rule of the routing table chose it
// (GET /api/v1/routing/preview): the same routing an intake does, received at the caller's grant.
func (s *Server) previewRouting(c *gin.Context) {
	parties := 0
	if p := c.Query("parties"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			s.fail(c, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "parties: must be a whole number",
				Fields: []fengqiao.FieldError{{Field: "parties", Message: "must be a whole number"}}})
			return
		}
		parties = n
	}
	r, err := s.Cases.PreviewRoute(c.Request.Context(), caller(c).Username, fengqiao.Kind(c.Query("kind")),
		c.Query("category"), c.Query("location"), fengqiao.Channel(c.Query("channel")), parties)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}
