package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"fengqiao"
	"fengqiao/accounts"
	"fengqiao/api"
	"fengqiao/policy"
	"fengqiao/store"
)

// bodiesData is the 机构管理 page: the bodies (filtered by type and field), the create form and the CSV
// import form.
type bodiesData struct {
	Bodies     []bodyRow
	More       bool
	Types      []bodyTypeOption
	Categories []string
	Nodes      []treeNode
	Agencies   []fengqiao.Body
	// Filter and Form are what the page was asked with and what the create form held (kept after a
	// refusal, so that nothing typed is lost).
	Filter       fengqiao.BodyFilter
	Form         accounts.NewBody
	ImportErrors []fengqiao.FieldError
	ImportText   string
}

// bodyRow is a body as the list shows it: its seat's and superior's names beside the codes.
type bodyRow struct {
	fengqiao.Body
	SeatName, SuperiorName string
}

// bodyTypeOption is a type of the type select.
type bodyTypeOption struct {
	Value fengqiao.BodyType
	Label string
}

// HasField reports whether the create form held field (for the checkboxes).
func (d bodiesData) HasField(f string) bool {
	for _, v := range d.Form.Fields {
		if v == f {
			return true
		}
	}
	return false
}

func (h *handler) bodiesPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := bodiesData{Filter: fengqiao.BodyFilter{Type: fengqiao.BodyType(q.Get("type")), Field: q.Get("field"), Node: q.Get("node")}}
	p := h.newPage(r, "bodies.title")
	switch {
	case q.Get("created") != "":
		p.Flash = p.T("bodies.created", q.Get("created"))
	case q.Get("imported") != "":
		p.Flash = p.T("bodies.imported", q.Get("imported"))
	}
	h.showBodies(w, r, p, http.StatusOK, d, nil)
}

// showBodies renders the page with d; err (a refused create or import) is shown above the forms.
func (h *handler) showBodies(w http.ResponseWriter, r *http.Request, p *page, status int, d bodiesData, err error) {
	user := sessionOf(r).user.Username
	if !h.Policy.HasAnywhere(user, policy.ActionAdminJurisdictions) {
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "only administrators of the tree see this page"))
		return
	}
	p.Nav = "admin"
	if err != nil {
		var fe *fengqiao.Error
		if !errors.As(err, &fe) {
			h.fail(w, r, err)
			return
		}
		p.Error = h.errorText(p, fe)
		if d.ImportErrors == nil {
			p.Fields = p.fieldTexts(fe.Fields)
		}
	}
	page, lerr := h.Accounts.Bodies(r.Context(), d.Filter, "", accounts.MaxPage)
	if lerr != nil {
		var fe *fengqiao.Error
		if !errors.As(lerr, &fe) || fe.Code != fengqiao.ECodeInvalid {
			h.fail(w, r, lerr)
			return
		}
		// an unknown filter shows every body, with the filter's error
		d.Filter = fengqiao.BodyFilter{}
		page, lerr = h.Accounts.Bodies(r.Context(), d.Filter, "", accounts.MaxPage)
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
	}
	d.More = page.Next != nil
	nodes, nerr := h.DB.AllNodes(r.Context())
	if nerr != nil {
		h.fail(w, r, nerr)
		return
	}
	names := map[string]string{}
	for _, n := range nodes {
		names[n.Code] = n.Name
		if n.Tier != fengqiao.TierGrid && n.Tier != fengqiao.TierCourt {
			d.Nodes = append(d.Nodes, treeNode{Node: n, Depth: len(store.PathCodes(n.Path)) - 1})
		}
	}
	agencies, aerr := h.DB.Bodies(r.Context(), fengqiao.BodyFilter{Type: fengqiao.BodyAgency})
	if aerr != nil {
		h.fail(w, r, aerr)
		return
	}
	d.Agencies = agencies
	bodyNames := map[string]string{}
	for _, b := range agencies {
		bodyNames[b.Code] = b.Name
	}
	for _, b := range page.Items {
		d.Bodies = append(d.Bodies, bodyRow{Body: b, SeatName: names[b.Node], SuperiorName: bodyNames[b.Superior]})
	}
	for _, t := range fengqiao.BodyTypes {
		d.Types = append(d.Types, bodyTypeOption{Value: t, Label: p.T("body." + string(t))})
	}
	d.Categories = fengqiao.Categories
	p.Data = d
	h.render(w, r, status, "bodies", p)
}

// adminCreateBody creates a body from the page's form; a refusal shows the page again with the named
// fields and what was typed.
func (h *handler) adminCreateBody(w http.ResponseWriter, r *http.Request) {
	in := accounts.NewBody{Code: trim(r.PostFormValue("code")), Name: trim(r.PostFormValue("name")),
		Type: fengqiao.BodyType(r.PostFormValue("type")), Node: trim(r.PostFormValue("node")),
		Fields: r.PostForm["fields"], Superior: trim(r.PostFormValue("superior"))}
	b, err := h.Accounts.CreateBody(r.Context(), sessionOf(r).user.Username, in)
	if err != nil {
		p := h.newPage(r, "bodies.title")
		h.showBodies(w, r, p, statusOf(err), bodiesData{Form: in}, err)
		return
	}
	redirect(w, r, "/admin/bodies?created="+url.QueryEscape(b.Code))
}

// adminImportBodies imports a body CSV from a file or the text area, all or nothing, as the API's
// import does; every problem is listed on the page as 第N行 column：message.
func (h *handler) adminImportBodies(w http.ResponseWriter, r *http.Request) {
	text := r.PostFormValue("csv")
	var file io.Reader = strings.NewReader(text)
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		if hdr.Size > 0 {
			file = f
		}
	}
	bodies, err := h.Accounts.ImportBodies(r.Context(), sessionOf(r).user.Username, file)
	if err != nil {
		d := bodiesData{ImportText: text}
		p := h.newPage(r, "bodies.title")
		var fe *fengqiao.Error
		if errors.As(err, &fe) && fe.Code == fengqiao.ECodeInvalid {
			// the lines say it all; the heading says that nothing was imported
			d.ImportErrors = p.fieldTexts(fe.Fields)
			p.Error = p.T("admin.import_failed")
			h.showBodies(w, r, p, http.StatusUnprocessableEntity, d, nil)
			return
		}
		h.showBodies(w, r, p, statusOf(err), d, err)
		return
	}
	redirect(w, r, "/admin/bodies?imported="+strconv.Itoa(len(bodies)))
}

// statusOf is the status a refused form is shown again with, the API's for the same error.
func statusOf(err error) int {
	return api.StatusOf(fengqiao.ErrorCode(err))
}
