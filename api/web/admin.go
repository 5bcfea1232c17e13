package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"fengqiao"
	"fengqiao/api"
	"fengqiao/deadline"
	"fengqiao/policy"
	"fengqiao/store"

	"golang.org/x/crypto/bcrypt"
	"gopkg.in/yaml.v3"
)

// adminData is the administration page.
type adminData struct {
	CanTree, CanUsers, CanGrants, CanCalendar, CanPolicy bool
	Tree                                                 []treeNode
	Users                                                []userView
	Roles                                                []option
	Calendar                                             []deadline.CalendarYear
	Policy                                               string
	ImportErrors                                         []fengqiao.FieldError
}

// treeNode is a node of the jurisdiction tree with its depth.
type treeNode struct {
	fengqiao.Node
	Depth int
}

// userView is a staff account with its grants.
type userView struct {
	Username, DisplayName string
	Disabled              bool
	Grants                []fengqiao.Grant
}

func (h *handler) admin(w http.ResponseWriter, r *http.Request) {
	h.showAdmin(w, r, http.StatusOK, nil)
}

func (h *handler) showAdmin(w http.ResponseWriter, r *http.Request, status int, importErrs []fengqiao.FieldError) {
	user := sessionOf(r).user.Username
	d := adminData{ImportErrors: importErrs,
		CanTree:     h.Policy.HasAnywhere(user, policy.ActionAdminJurisdictions),
		CanGrants:   h.Policy.HasAnywhere(user, policy.ActionAdminGrants),
		CanCalendar: h.Policy.HasAnywhere(user, policy.ActionAdminCalendar),
		CanPolicy:   h.Policy.HasAnywhere(user, policy.ActionAdminPolicy)}
	var err error
	if d.CanUsers, err = h.Policy.Can(user, policy.ActionAdminUsers, policy.Global); err != nil {
		h.fail(w, r, err)
		return
	}
	if !d.CanTree && !d.CanUsers && !d.CanGrants && !d.CanCalendar && !d.CanPolicy {
		h.audit(r, string(policy.ActionAdminJurisdictions), "", "admin", auditDenied, "")
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "only administrators see this page"))
		return
	}
	ctx := r.Context()
	if d.CanTree {
		nodes, err := h.DB.AllNodes(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, n := range nodes {
			d.Tree = append(d.Tree, treeNode{Node: n, Depth: len(store.PathCodes(n.Path)) - 1})
		}
	}
	if d.CanUsers {
		users, err := h.DB.Users(ctx, "", 500)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, u := range users {
			d.Users = append(d.Users, userView{Username: u.Username, DisplayName: u.DisplayName, Disabled: u.Disabled, Grants: h.Policy.Grants(u.Username)})
		}
	}
	for _, role := range fengqiao.Roles {
		d.Roles = append(d.Roles, option{Value: string(role), Label: "role." + string(role)})
	}
	if d.CanCalendar {
		d.Calendar = deadline.DefaultCalendar().Years
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
// all or nothing, as the API's import does, and tells the authorizer the tree changed.
func (h *handler) adminImport(w http.ResponseWriter, r *http.Request) {
	user := sessionOf(r).user.Username
	ok, err := h.Policy.Can(user, policy.ActionAdminJurisdictions, policy.Global)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ok {
		h.audit(r, string(policy.ActionAdminJurisdictions), "", "jurisdictions/import", auditDenied, "")
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "only a city-wide administrator imports the tree"))
		return
	}
	text := r.PostFormValue("csv")
	if f, _, err := r.FormFile("file"); err == nil {
		defer f.Close()
		var b strings.Builder
		buf := make([]byte, 32<<10)
		for {
			n, err := f.Read(buf)
			b.Write(buf[:n])
			if err != nil || b.Len() > 32<<20 {
				break
			}
		}
		if b.Len() > 0 {
			text = b.String()
		}
	}
	nodes, err := h.DB.ImportNodes(r.Context(), strings.NewReader(text))
	var ie *store.ImportError
	if errors.As(err, &ie) {
		fields := make([]fengqiao.FieldError, len(ie.Lines))
		for i, l := range ie.Lines {
			fields[i] = fengqiao.FieldError{Field: "line " + strconv.Itoa(l.Line), Message: l.Message}
		}
		h.showAdmin(w, r, http.StatusUnprocessableEntity, fields)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Policy.TreeChanged(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	h.audit(r, string(policy.ActionAdminJurisdictions), "", "jurisdictions/import", auditOK, "imported "+strconv.Itoa(len(nodes))+" nodes")
	redirect(w, r, "/admin?imported="+strconv.Itoa(len(nodes)))
}

// adminCreateUser creates a staff account, with the API's rules.
func (h *handler) adminCreateUser(w http.ResponseWriter, r *http.Request) {
	username, password, display := trim(r.PostFormValue("username")), r.PostFormValue("password"), trim(r.PostFormValue("display_name"))
	var v fengqiao.Validation
	v.Check(api.ValidUsername(username), "username", "must be 2-64 characters of a-z, 0-9, '.', '_' or '-'")
	v.Check(utf8.RuneCountInString(password) >= 10 && len(password) <= 72, "password", "must be 10 to 72 bytes long")
	v.Check(utf8.RuneCountInString(display) <= 100, "display_name", "must be at most 100 characters")
	if err := v.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	ok, err := h.Policy.Can(sessionOf(r).user.Username, policy.ActionAdminUsers, policy.Global)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ok {
		h.audit(r, string(policy.ActionAdminUsers), "", "users", auditDenied, "")
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "your roles do not allow this"))
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), api.BcryptCost)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.DB.CreateUser(r.Context(), store.UserRow{Username: username, PasswordHash: string(hash), DisplayName: display}); err != nil {
		h.fail(w, r, err)
		return
	}
	h.audit(r, string(policy.ActionAdminUsers), "", "user/"+username, auditOK, "created")
	redirect(w, r, "/admin#users")
}

// adminGrant grants or revokes a role at a node; an admin may only do so within their own subtree.
func (h *handler) adminGrant(w http.ResponseWriter, r *http.Request) {
	username := trim(r.PostFormValue("username"))
	role := fengqiao.Role(r.PostFormValue("role"))
	node := trim(r.PostFormValue("jurisdiction"))
	grant := r.PostFormValue("op") != "revoke"
	var v fengqiao.Validation
	v.Check(role.Valid(), "role", "must be a role")
	v.Check(node == policy.Global || fengqiao.ValidNodeCode(node), "jurisdiction", "must be a jurisdiction code")
	if err := v.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	ok, err := h.Policy.Can(sessionOf(r).user.Username, policy.ActionAdminGrants, node)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ok {
		h.audit(r, string(policy.ActionAdminGrants), node, "user/"+username, auditDenied, "")
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "your roles do not allow this"))
		return
	}
	ctx := r.Context()
	if _, err := h.DB.User(ctx, username); errors.Is(err, store.ErrNotFound) {
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeNotFound, "no user %s", username))
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	verb := "granted "
	if grant {
		err = h.Policy.Grant(ctx, username, role, node)
	} else {
		verb = "revoked "
		err = h.Policy.Revoke(ctx, username, role, node)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.audit(r, string(policy.ActionAdminGrants), node, "user/"+username, auditOK, verb+string(role))
	redirect(w, r, "/admin#users")
}
