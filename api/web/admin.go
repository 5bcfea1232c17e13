package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/accounts"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/store"

	"gopkg.in/yaml.v3"
)

// adminData is the administration page.
type adminData struct {
	CanTree, CanUsers, CanGrants, CanCalendar, CanPolicy bool
	Tree                                                 []treeNode
	Users                                                []fengqiao.User
	Roles                                                []cases.Option
	Calendar                                             []cases.CalendarEntry
	Policy                                               string
	ImportErrors                                         []fengqiao.FieldError
	Schedule                                             []accounts.Reception
	// Names are the names of the nodes and bodies grants are held at, by code.
	Names map[string]string
	// Bodies are the bodies a role may be granted at (the grant form's suggestions).
	Bodies []fengqiao.Body
}

// treeNode is a node of the jurisdiction tree with its depth.
type treeNode struct {
	fengqiao.Node
	Depth int
}

func (h *handler) admin(w http.ResponseWriter, r *http.Request) {
	h.showAdmin(w, r, http.StatusOK, nil)
}

func (h *handler) showAdmin(w http.ResponseWriter, r *http.Request, status int, importErrs []fengqiao.FieldError) {
	o, err := h.Accounts.Overview(r.Context(), sessionOf(r).user.Username)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := adminData{ImportErrors: importErrs, CanTree: o.Jurisdictions, CanUsers: o.Users, CanGrants: o.Grants,
		CanCalendar: o.Calendar, CanPolicy: o.Policy, Users: o.Accounts}
	for _, n := range o.Tree {
		d.Tree = append(d.Tree, treeNode{Node: n, Depth: len(store.PathCodes(n.Path)) - 1})
	}
	d.Names = map[string]string{}
	for _, n := range o.Tree {
		d.Names[n.Code] = n.Name
	}
	if d.CanUsers || d.CanGrants {
		if d.Bodies, err = h.DB.Bodies(r.Context(), fengqiao.BodyFilter{}); err != nil {
			h.fail(w, r, err)
			return
		}
		for _, b := range d.Bodies {
			d.Names[b.Code] = b.Name
		}
	}
	for _, role := range fengqiao.Roles {
		d.Roles = append(d.Roles, cases.Option{Value: string(role), Label: "role." + string(role)})
	}
	if d.CanTree {
		if d.Schedule, err = h.Accounts.Receptions(r.Context(), "", time.Now()); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if d.CanCalendar {
		if d.Calendar, err = h.Cases.ListCalendars(r.Context()); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if d.CanPolicy && h.Cases != nil {
		b, err := yaml.Marshal(h.Cases.Policy)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Policy = "# version " + h.Cases.Policy.Version + "\n" + string(b)
	}
	p := h.newPage(r, "nav.admin")
	p.Nav = "admin"
	p.Data = d
	if status != http.StatusOK && len(importErrs) > 0 {
		p.Error = p.T("admin.import_failed")
	}
	h.render(w, r, status, "admin", p)
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
		h.showAdmin(w, r, http.StatusUnprocessableEntity, fe.Fields)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin?imported="+strconv.Itoa(n))
}

// adminCreateUser creates a staff account.
func (h *handler) adminCreateUser(w http.ResponseWriter, r *http.Request) {
	in := accounts.NewUser{Username: trim(r.PostFormValue("username")), Password: r.PostFormValue("password"),
		DisplayName: trim(r.PostFormValue("display_name"))}
	if _, err := h.Accounts.CreateUser(r.Context(), sessionOf(r).user.Username, in); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin#users")
}

// adminGrant grants or revokes (op=revoke) a role at a node; an admin may only do so within their own
// subtree.
func (h *handler) adminGrant(w http.ResponseWriter, r *http.Request) {
	in := accounts.GrantRequest{Role: fengqiao.Role(r.PostFormValue("role")), Jurisdiction: trim(r.PostFormValue("jurisdiction"))}
	change := h.Accounts.Grant
	if r.PostFormValue("op") == "revoke" {
		change = h.Accounts.Revoke
	}
	if _, err := change(r.Context(), sessionOf(r).user.Username, trim(r.PostFormValue("username")), in); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin#users")
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
	redirect(w, r, "/admin#schedule")
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
	redirect(w, r, "/admin#schedule")
}
