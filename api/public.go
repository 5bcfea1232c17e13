package api

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/workflows"

	"github.com/gin-gonic/gin"
)

// publicCase is what a party sees with the query code and the last four digits of their phone:
// progress and deadlines, names masked, and never who complained (XGTL 30) nor any identifier.
type publicCase struct {
	Number       string              `json:"number"`
	Kind         fengqiao.Kind       `json:"kind"`
	Category     string              `json:"category"`
	Status       fengqiao.Status     `json:"status"`
	Tier         fengqiao.Tier       `json:"tier"`
	HandlingNode string              `json:"handling_node"`
	OpenedAt     time.Time           `json:"opened_at"`
	ClosedAt     *time.Time          `json:"closed_at,omitempty"`
	Deadlines    workflows.Deadlines `json:"deadlines"`
	Parties      []publicParty       `json:"parties"`
	CanRate      bool                `json:"can_rate"`
	RateBy       *time.Time          `json:"rate_by,omitempty"`
	Satisfaction *int                `json:"satisfaction,omitempty"`
}

type publicParty struct {
	Role fengqiao.PartyRole `json:"role"`
	Name string             `json:"name_masked"`
}

// MaskName keeps a name's first character: 张三 → 张*, 欧阳娜娜 → 欧***.
func MaskName(name string) string {
	r, size := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return "*"
	}
	return string(r) + strings.Repeat("*", utf8.RuneCountInString(name[size:]))
}

func toPublic(v cases.View) publicCase {
	out := publicCase{Number: v.Number, Kind: v.Kind, Category: v.Category, Status: v.Status, Tier: v.Tier,
		HandlingNode: v.HandlingNode, OpenedAt: v.OpenedAt, ClosedAt: v.ClosedAt, Deadlines: v.Deadlines,
		RateBy: v.RateBy, Satisfaction: v.Satisfaction, Parties: []publicParty{}}
	for _, p := range v.Parties {
		out.Parties = append(out.Parties, publicParty{Role: p.Role, Name: MaskName(p.Name)})
	}
	for _, a := range v.NextActions {
		if a == workflows.UpdateRating {
			out.CanRate = true
		}
	}
	return out
}

func (s *Server) publicCase(c *gin.Context) {
	v, err := s.Cases.Public(c.Request.Context(), c.ClientIP(), c.Param("code"), c.Query("phone_last4"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toPublic(v))
}

type ratingRequest struct {
	PhoneLast4 string `json:"phone_last4"`
	Score      int    `json:"score"`
	Comment    string `json:"comment"`
}

func (s *Server) publicRating(c *gin.Context) {
	var req ratingRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	after, err := s.Cases.Rate(c.Request.Context(), c.ClientIP(), c.Param("code"), req.PhoneLast4,
		workflows.RatingArgs{Score: req.Score, Comment: req.Comment})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toPublic(after))
}
