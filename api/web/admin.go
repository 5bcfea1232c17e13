package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/accounts"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/store"
)

// Administration is split in pages under one navigation: 管理首页 (/admin), 辖区 (/admin/tree), 用户
// (/admin/users), 授权 (/admin/grants), 日历 (/admin/calendar), 政策 (/admin/policy), and 机构
// (/admin/bodies, its own page). Every change redirects back with a confirmation message; disabling an
// account, resetting a password and revoking a role first show what will happen and ask again.

// adminSections are the pages of the navigation, in order, with the permission each needs.
var adminSections = []string{"home", "tree", "users", "grants", "calendar", "policy", "bodies"}

// adminNav is one link of the administration's navigation.
type adminNav struct {
	Key, Href string
	Current   bool
}

// adminData is an administration page.
type adminData struct {
	Section                                              string
	Nav                                                  []adminNav
	CanTree, CanUsers, CanGrants, CanCalendar, CanPolicy bool
	// the tree: the node browsed, its ancestors, its children, or the nodes found
	Node       *fengqiao.Node
	Crumbs     []fengqiao.Node
	Children   []treeNode
	Query      string
	Found      []treeNode
	ChildTiers []string
	// the users found, and the one a consequential action is being confirmed for
	Users   []fengqiao.User
	Confirm *adminConfirm
	// OneTime is a password just reset, shown this once.
	OneTime, OneTimeUser string
	Roles                []cases.Option
	Calendar             []cases.CalendarEntry
	Policy               []policyRow
	PolicyVersion        string
	ImportErrors         []fengqiao.FieldError
	Schedule             []accounts.Reception
	Counts               map[string]int
	// Names are the names of the nodes and bodies the listed users' grants are held at, by code.
	Names map[string]string
}

// adminConfirm is the second step of a consequential action: what it does, and the form that does it.
type adminConfirm struct {
	Title, Consequence, Action, Button string
	Fields                             map[string]string
}

// treeNode is a node of the jurisdiction tree with its depth.
type treeNode struct {
	fengqiao.Node
	Depth int
}

// policyRow is one period of the deadline policy as people read it.
type policyRow struct {
	Key, Name, Value, Basis string
}

func (h *handler) admin(w http.ResponseWriter, r *http.Request) {
	section := r.PathValue("section")
	if section == "" {
		section = "home"
	}
	h.showAdmin(w, r, http.StatusOK, section, nil)
}

// adminPage starts an administration page: the caller's overview, the navigation and the message of
// the change just made (?done=).
func (h *handler) adminPage(r *http.Request, section string) (*page, adminData, error) {
	o, err := h.Accounts.Overview(r.Context(), sessionOf(r).user.Username)
	if err != nil {
		return nil, adminData{}, err
	}
	d := adminData{Section: section, CanTree: o.Jurisdictions, CanUsers: o.Users, CanGrants: o.Grants,
		CanCalendar: o.Calendar, CanPolicy: o.Policy}
	allowed := map[string]bool{"home": true, "tree": d.CanTree, "users": d.CanUsers, "grants": d.CanGrants,
		"calendar": d.CanCalendar || d.CanTree, "policy": d.CanPolicy, "bodies": d.CanTree}
	for _, s := range adminSections {
		if allowed[s] {
			href := "/admin/" + s
			if s == "home" {
				href = "/admin"
			}
			d.Nav = append(d.Nav, adminNav{Key: s, Href: href, Current: s == section})
		}
	}
	if !allowed[section] || section == "bodies" { // 机构管理 is its own page

		return nil, d, fengqiao.Errorf(fengqiao.ECodeNotFound, "no administration page %s", section)
	}
	p := h.newPage(r, "nav.admin")
	p.Nav = "admin"
	if done := r.URL.Query().Get("done"); done != "" {
		p.Flash = p.T("admin.done."+done, r.URL.Query().Get("what"))
	}
	return p, d, nil
}

func (h *handler) showAdmin(w http.ResponseWriter, r *http.Request, status int, section string, importErrs []fengqiao.FieldError) {
	p, d, err := h.adminPage(r, section)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.ImportErrors = p.fieldTexts(importErrs)
	if err := h.fillAdmin(r, p, &d); err != nil {
		h.fail(w, r, err)
		return
	}
	p.Data = d
	if status != http.StatusOK && len(importErrs) > 0 {
		p.Error = p.T("admin.import_failed")
	}
	h.render(w, r, status, "admin", p)
}

// fillAdmin loads what the section shows.
func (h *handler) fillAdmin(r *http.Request, p *page, d *adminData) error {
	ctx := r.Context()
	user := sessionOf(r).user.Username
	q := r.URL.Query()
	var err error
	switch d.Section {
	case "home":
		d.Counts = map[string]int{}
		if d.CanUsers {
			users, err := h.Accounts.SearchUsers(ctx, user, "")
			if err != nil {
				return err
			}
			d.Counts["users"] = len(users)
			for _, u := range users {
				if u.Disabled {
					d.Counts["disabled"]++
				}
			}
		}
		nodes, err := h.DB.AllNodes(ctx)
		if err != nil {
			return err
		}
		d.Counts["nodes"] = len(nodes)
	case "tree":
		d.Query = trim(q.Get("q"))
		if d.Query != "" {
			found, err := h.Accounts.SearchJurisdictions(ctx, d.Query, 100)
			if err != nil {
				return err
			}
			for _, n := range found {
				d.Found = append(d.Found, treeNode{Node: n, Depth: len(store.PathCodes(n.Path)) - 1})
			}
		}
		parent := q.Get("node")
		if parent != "" {
			n, err := h.Accounts.Jurisdiction(ctx, parent)
			if err != nil {
				return err
			}
			d.Node = &n
			if d.Crumbs, err = h.DB.Chain(ctx, parent); err != nil {
				return err
			}
			for _, t := range fengqiao.Tiers {
				if t.CanHangUnder(n.Tier) {
					d.ChildTiers = append(d.ChildTiers, string(t))
				}
			}
		} else {
			d.ChildTiers = []string{string(fengqiao.TierCity)}
		}
		kids, err := h.Accounts.Jurisdictions(ctx, parent, "", accounts.MaxPage)
		if err != nil {
			return err
		}
		for _, n := range kids.Items {
			d.Children = append(d.Children, treeNode{Node: n})
		}
	case "users":
		d.Query = trim(q.Get("q"))
		if d.Users, err = h.Accounts.SearchUsers(ctx, user, d.Query); err != nil {
			return err
		}
		d.OneTime, d.OneTimeUser = q.Get("one_time"), q.Get("what")
	case "grants":
		if d.CanUsers {
			if d.Users, err = h.Accounts.SearchUsers(ctx, user, trim(q.Get("q"))); err != nil {
				return err
			}
		}
		d.Names = h.grantPlaceNames(r, d.Users)
		for _, role := range fengqiao.Roles {
			d.Roles = append(d.Roles, cases.Option{Value: string(role), Label: "role." + string(role)})
		}
	case "calendar":
		if d.CanCalendar {
			if d.Calendar, err = h.Cases.ListCalendars(ctx); err != nil {
				return err
			}
		}
		if d.CanTree {
			if d.Schedule, err = h.Accounts.Receptions(ctx, "", time.Now()); err != nil {
				return err
			}
		}
	case "policy":
		if h.Cases != nil {
			d.Policy, d.PolicyVersion = policyRows(p, h.Cases.Policy), h.Cases.Policy.Version
		}
	case "bodies":
		return nil // the bodies page is its own (机构管理)
	}
	return nil
}

// policyRows is the deadline policy as a table: each period's name, its value and the law behind it.
func policyRows(p *page, pol deadline.Policy) []policyRow {
	rows := []policyRow{}
	add := func(key string, d deadline.Duration) {
		rows = append(rows, policyRow{Key: key, Name: p.T("admin.pol." + key), Value: durationText(p, d), Basis: p.T("admin.basis." + key)})
	}
	for _, t := range []fengqiao.Tier{fengqiao.TierVillage, fengqiao.TierTownship, fengqiao.TierCounty, fengqiao.TierCity} {
		if d, ok := pol.Tiers[t]; ok {
			rows = append(rows, policyRow{Key: "tiers." + string(t), Name: p.T("admin.pol.tier", p.T("tier."+string(t))),
				Value: durationText(p, d), Basis: p.T("admin.basis.tiers")})
		}
	}
	rows = append(rows, policyRow{Key: "at_risk", Name: p.T("admin.pol.at_risk"), Value: fmt.Sprintf("%.0f%%", pol.AtRisk*100),
		Basis: p.T("admin.basis.at_risk")})
	add("acknowledge", pol.Acknowledge)
	add("mediation", pol.Mediation)
	add("confirmation.apply", pol.Confirmation.Apply)
	add("confirmation.accept", pol.Confirmation.Accept)
	add("confirmation.decide", pol.Confirmation.Decide)
	add("confirmation.decide_extension", pol.Confirmation.DecideExtension)
	add("petition.route", pol.Petition.Route)
	add("petition.handle", pol.Petition.Handle)
	add("petition.extend_max", pol.Petition.ExtendMax)
	add("petition.review_request", pol.Petition.ReviewRequest)
	add("petition.review_reply", pol.Petition.ReviewReply)
	add("performance_check", pol.PerformanceCheck)
	add("satisfaction", pol.Satisfaction)
	for _, g := range pol.PauseGrounds() {
		rows = append(rows, policyRow{Key: "pause." + g.Ground, Name: p.T("admin.pol.pause", g.Label), Value: p.T("admin.pol.pause_value"), Basis: g.Basis})
	}
	return rows
}

// done redirects to a section with the message of the change just made.
func done(w http.ResponseWriter, r *http.Request, path, key, what string, extra ...string) {
	v := url.Values{"done": {key}, "what": {what}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	redirect(w, r, path+sep+v.Encode())
}

// adminImport imports a jurisdiction CSV (code,name,tier,parent_code) from a file or the text area,
// all or nothing, as the API's import does; the bad rows are listed on the page.
func (h *handler) adminImport(w http.ResponseWriter, r *http.Request) {
	var file io.Reader = strings.NewReader(r.PostFormValue("csv"))
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		if hdr.Size > 0 {
			file = f
		}
	}
	n, err := h.Accounts.ImportJurisdictions(r.Context(), sessionOf(r).user.Username, file)
	var fe *fengqiao.Error
	if errors.As(err, &fe) && fe.Code == fengqiao.ECodeInvalid {
		h.showAdmin(w, r, http.StatusUnprocessableEntity, "tree", fe.Fields)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	done(w, r, "/admin/tree", "imported", strconv.Itoa(n))
}

// adminAddNode adds a child under the node browsed (or a city at the root).
func (h *handler) adminAddNode(w http.ResponseWriter, r *http.Request) {
	in := accounts.NewJurisdiction{Code: trim(r.PostFormValue("code")), Name: trim(r.PostFormValue("name")),
		Tier: fengqiao.Tier(r.PostFormValue("tier")), ParentCode: trim(r.PostFormValue("parent"))}
	n, err := h.Accounts.CreateJurisdiction(r.Context(), sessionOf(r).user.Username, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	done(w, r, "/admin/tree?node="+url.QueryEscape(in.ParentCode), "node_added", n.Name)
}

// adminRenameNode renames a node.
func (h *handler) adminRenameNode(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	n, err := h.Accounts.RenameJurisdiction(r.Context(), sessionOf(r).user.Username, code, r.PostFormValue("name"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	done(w, r, "/admin/tree?node="+url.QueryEscape(code), "node_renamed", n.Name)
}

// adminCreateUser creates a staff account.
func (h *handler) adminCreateUser(w http.ResponseWriter, r *http.Request) {
	in := accounts.NewUser{Username: trim(r.PostFormValue("username")), Password: r.PostFormValue("password"),
		DisplayName: trim(r.PostFormValue("display_name"))}
	if _, err := h.Accounts.CreateUser(r.Context(), sessionOf(r).user.Username, in); err != nil {
		h.fail(w, r, err)
		return
	}
	done(w, r, "/admin/users?q="+url.QueryEscape(in.Username), "user_created", in.Username)
}

// confirmAdmin shows the second step of a consequential action: what it does, and a button that does it.
func (h *handler) confirmAdmin(w http.ResponseWriter, r *http.Request, section string, c adminConfirm) {
	p, d, err := h.adminPage(r, section)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Confirm = &c
	p.Data = d
	h.render(w, r, http.StatusOK, "admin", p)
}

// adminUserAction disables, enables or resets the password of an account; disabling and resetting
// ask for confirmation first (confirm=1 does it).
func (h *handler) adminUserAction(w http.ResponseWriter, r *http.Request) {
	username, op := r.PathValue("username"), r.PathValue("op")
	actor := sessionOf(r).user.Username
	p := h.newPage(r, "nav.admin")
	name := p.Name(username)
	if (op == "disable" || op == "reset") && r.PostFormValue("confirm") != "1" {
		h.confirmAdmin(w, r, "users", adminConfirm{Title: p.T("admin.confirm."+op+".title", name),
			Consequence: p.T("admin.confirm."+op, name), Action: r.URL.Path, Button: p.T("admin.confirm." + op + ".button"),
			Fields: map[string]string{"confirm": "1"}})
		return
	}
	var err error
	switch op {
	case "disable", "enable":
		_, err = h.Accounts.SetDisabled(r.Context(), actor, username, op == "disable")
	case "reset":
		var pw string
		if pw, err = h.Accounts.ResetPassword(r.Context(), actor, username); err == nil {
			// the one-time password is shown on the page this once; it is not in any URL or log
			pg, d, err := h.adminPage(r, "users")
			if err != nil {
				h.fail(w, r, err)
				return
			}
			d.OneTime, d.OneTimeUser = pw, name
			if d.Users, err = h.Accounts.SearchUsers(r.Context(), actor, username); err != nil {
				h.fail(w, r, err)
				return
			}
			pg.Flash = pg.T("admin.done.reset", name)
			pg.Data = d
			w.Header().Set("Cache-Control", "no-store")
			h.render(w, r, http.StatusOK, "admin", pg)
			return
		}
	default:
		err = fengqiao.Errorf(fengqiao.ECodeNotFound, "no action %s", op)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	done(w, r, "/admin/users?q="+url.QueryEscape(username), op+"d", name)
}

// adminGrant grants or revokes (op=revoke) a role at a node; an admin may only do so within their own
// subtree. Revoking asks for confirmation first.
func (h *handler) adminGrant(w http.ResponseWriter, r *http.Request) {
	node := trim(r.PostFormValue("jurisdiction"))
	if code, _, ok := strings.Cut(node, " "); ok { // "330203001 鼓楼街道" from the type-ahead
		node = code
	}
	username := trim(r.PostFormValue("username"))
	in := accounts.GrantRequest{Role: fengqiao.Role(r.PostFormValue("role")), Jurisdiction: node}
	p := h.newPage(r, "nav.admin")
	role := p.TOr("role."+string(in.Role), string(in.Role))
	change, key := h.Accounts.Grant, "granted"
	if r.PostFormValue("op") == "revoke" {
		if r.PostFormValue("confirm") != "1" {
			h.confirmAdmin(w, r, "grants", adminConfirm{Title: p.T("admin.confirm.revoke.title"),
				Consequence: p.T("admin.confirm.revoke", p.Name(username), role, node), Action: "/admin/grants",
				Button: p.T("admin.confirm.revoke.button"),
				Fields: map[string]string{"confirm": "1", "op": "revoke", "username": username, "role": string(in.Role), "jurisdiction": node}})
			return
		}
		change, key = h.Accounts.Revoke, "revoked"
	}
	if _, err := change(r.Context(), sessionOf(r).user.Username, username, in); err != nil {
		h.fail(w, r, err)
		return
	}
	done(w, r, "/admin/grants?q="+url.QueryEscape(username), key, p.Name(username)+" · "+role+" · "+node)
}

// adminAddReception publishes a leader's reception day from the admin page's form (date and times in
// China time).
func (h *handler) adminAddReception(w http.ResponseWriter, r *http.Request) {
	in := accounts.NewReception{Node: trim(r.PostFormValue("node")), Leader: trim(r.PostFormValue("leader")),
		Title: trim(r.PostFormValue("title")), Place: trim(r.PostFormValue("place"))}
	day := trim(r.PostFormValue("day"))
	var v fengqiao.Validation
	from, err := time.ParseInLocation("2006-01-02 15:04", day+" "+trim(r.PostFormValue("from")), deadline.China)
	v.Check(err == nil, "from", "must be a date and a time")
	to, err := time.ParseInLocation("2006-01-02 15:04", day+" "+trim(r.PostFormValue("to")), deadline.China)
	v.Check(err == nil, "to", "must be a time")
	if err := v.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	in.StartsAt, in.EndsAt = from, to
	if _, err := h.Accounts.AddReception(r.Context(), sessionOf(r).user.Username, in); err != nil {
		h.fail(w, r, err)
		return
	}
	done(w, r, "/admin/calendar", "reception_added", day)
}

// adminDeleteReception removes a reception day.
func (h *handler) adminDeleteReception(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = h.Accounts.DeleteReception(r.Context(), sessionOf(r).user.Username, id)
	} else {
		err = fengqiao.Errorf(fengqiao.ECodeNotFound, "no reception day %s", r.PathValue("id"))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	done(w, r, "/admin/calendar", "reception_removed", "")
}

// grantPlaceNames names the nodes and bodies the users' grants are held at ("*" and unknown codes stay
// as they are).
func (h *handler) grantPlaceNames(r *http.Request, users []fengqiao.User) map[string]string {
	names := map[string]string{}
	for _, u := range users {
		for _, g := range u.Grants {
			if _, ok := names[g.Node]; ok {
				continue
			}
			names[g.Node] = g.Node
			if b, err := h.DB.Body(r.Context(), g.Node); err == nil {
				names[g.Node] = b.Name
			} else if n, err := h.DB.Node(r.Context(), g.Node); err == nil {
				names[g.Node] = n.Name
			}
		}
	}
	return names
}
