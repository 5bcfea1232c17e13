package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"fengqiao"
	"fengqiao/api"
)

// routePreview is the intake page's preview of where the case will go (GET /cases/new/route): the route
// of GET /api/v1/routing/preview, for the session's user, with a sentence in the page's language.
func (h *handler) routePreview(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "nav.intake")
	q := r.URL.Query()
	parties, _ := strconv.Atoi(q.Get("parties"))
	kind, category := fengqiao.Kind(q.Get("kind")), q.Get("category")
	user := sessionOf(r).user.Username
	route, err := h.Cases.PreviewRoute(r.Context(), user, kind, category, q.Get("location"),
		fengqiao.Channel(q.Get("channel")), max(parties, 0))
	if kind == fengqiao.KindCourtReferral { // received at the court the officer chose on the form
		route, err = h.Cases.PreviewReferral(r.Context(), user, q.Get("court"), category, q.Get("location"),
			fengqiao.ChannelReferral, max(parties, 0))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	var fe *fengqiao.Error
	if errors.As(err, &fe) {
		out := map[string]string{"code": string(fe.Code), "text": p.T("route.refused")}
		if len(fe.Fields) > 0 {
			out["field"] = fe.Fields[0].Field
			out["text"] = p.TOr("route.refused."+fe.Fields[0].Field, out["text"])
		}
		w.WriteHeader(api.StatusOf(fe.Code))
		_ = json.NewEncoder(w).Encode(out)
		return
	}
	if err != nil {
		h.log.Error("routing preview", "error", err)
		w.WriteHeader(http.StatusInternalServerError)
		_ = json.NewEncoder(w).Encode(map[string]string{"text": p.T("route.refused")})
		return
	}
	_ = json.NewEncoder(w).Encode(struct {
		fengqiao.Route
		Text string `json:"text"`
	}{route, h.routeText(p, route, kind, category)})
}

// routeText is the preview as a clerk reads it: "将分流至：海曙区医疗纠纷人民调解委员会（县级）· 规则：医疗纠纷".
func (h *handler) routeText(p *page, r fengqiao.Route, kind fengqiao.Kind, category string) string {
	rule := p.T("route.rule.lowest")
	if table := h.Cases.Policy.RoutingTable(); r.Rule >= 0 && r.Rule < len(table) {
		rule = p.T("kind." + string(kind))
		if len(table[r.Rule].Match.Categories) > 0 {
			rule = p.T("cat." + category)
		}
	}
	s := p.T("route.to", r.Body.Name, p.T("route.tier."+string(r.Tier)), rule)
	if r.Then != "" {
		s += p.T("route.then", p.T("body."+string(r.Then)))
	}
	return s
}

// addRoutingMessages adds the routing preview's messages.
func addRoutingMessages(c catalogue) {
	for k, v := range map[string][2]string{
		"route.preview":          {"分流预览", "Where this case goes"},
		"route.to":               {"将分流至：%s（%s）· 规则：%s", "Goes to: %s (%s) · rule: %s"},
		"route.then":             {"；调解不成的，转%s", "; if mediation fails, on to the %s"},
		"route.rule.lowest":      {"属地最低调解层级（未配置机构）", "lowest tier with mediation power (no bodies kept)"},
		"route.tier.village":     {"村（社区）级", "village"},
		"route.tier.township":    {"镇（街道）级", "township"},
		"route.tier.county":      {"县级", "county"},
		"route.tier.city":        {"市级", "city"},
		"route.refused":          {"无法分流，请核对填写内容", "This case cannot be routed: check the form"},
		"route.refused.location": {"无法分流：该属地没有可受理此类事项的机构，请核对属地", "Cannot route: no body takes such a case at this location; check the location"},
		"route.refused.category": {"无法分流：分流规则中没有此类事项，请核对类别", "Cannot route: the routing table has no rule for this category; check the category"},
		"route.refused.kind":     {"无法分流：请选择事项类型", "Cannot route: choose the kind"},
		"route.pending":          {"正在计算分流……", "Working out where this case goes…"},
		"kind.court_referral":    {"委派调解", "court referral"},
	} {
		c[k] = v
	}
	en := map[fengqiao.BodyType]string{fengqiao.BodyCommittee: "people's mediation committee",
		fengqiao.BodyProfessional: "professional mediation committee", fengqiao.BodyCenter: "dispute resolution centre",
		fengqiao.BodyAgency: "government agency", fengqiao.BodyPetitionOffice: "petition office", fengqiao.BodyCourt: "court",
		fengqiao.BodyArbitration: "labour arbitration committee", fengqiao.BodyNotary: "notary office", fengqiao.BodyPolice: "police station"}
	for _, t := range fengqiao.BodyTypes {
		c["body."+string(t)] = [2]string{t.Label(), en[t]}
	}
}
