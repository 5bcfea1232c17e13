package web

import (
	"html/template"
	"strings"
	"time"

	"fengqiao/deadline"
)

// pageNames are the page templates; each is parsed together with layout.html.
var pageNames = []string{"login", "error", "workbench", "intake", "case", "receipt", "doc_agreement",
	"doc_confirmation", "doc_termination", "doc_court_result", "doc_petition_accepted", "doc_petition_refused", "supervision", "stats", "public", "admin", "risks",
	"explain", "calendar", "inbox", "bodies", "search"}

// parsePages parses every page with the layout. A template error is a bug caught by every test.
func parsePages() map[string]*template.Template {
	funcs := template.FuncMap{
		"join":  strings.Join,
		"add":   func(a, b int) int { return a + b },
		"depth": func(d int) int { return min(d, 6) },
		"list":  func(v ...any) []any { return v },
		"size":  kib,
		"deref": func(f *float64) float64 { return *f },
		// cst formats an instant (time.Time or *time.Time) in China time with a Go layout.
		"cst": func(t any, layout string) string {
			switch v := t.(type) {
			case time.Time:
				return v.In(deadline.China).Format(layout)
			case *time.Time:
				if v != nil {
					return v.In(deadline.China).Format(layout)
				}
			}
			return ""
		},
	}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html"))
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
		pages[name] = t
	}
	return pages
}
