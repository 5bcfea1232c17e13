package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fengqiao"
)

// formatArg is the position of the format (msgid) among a message constructor's arguments, by the
// constructor's name: the workflow's refusals, fengqiao.Errorf and the Validation of the services.
var formatArg = map[string]int{"refuse": 1, "forbid": 0, "invalid": 1, "invalidf": 1, "Errorf": 1, "Add": 1, "Check": 2,
	"FieldErrorf": 1, "lineErrorf": 2}

// phraseArg is the position of a phrase a rule passes into a refusal ("only the assigned mediator may
// record an agreement"), by the helper's name.
var phraseArg = map[string]int{"onlyAssignee": 1, "assigneeOrSupervisor": 1, "leadOrSupervisor": 1, "ownerOrSupervisor": 2}

// literal is the text of a string literal or of a sum of them.
func literal(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			a, ok := literal(x.X)
			b, ok2 := literal(x.Y)
			return a + b, ok && ok2
		}
	case *ast.ParenExpr:
		return literal(x.X)
	}
	return "", false
}

// TestEveryRefusalAUserReadsIsWrittenInChinese parses workflows/, cases/, accounts/, store/ and the
// pages' own api/web/, and
// collects every format string passed to the workflow's refusals (refuse, forbid, invalid, invalidf),
// to fengqiao.Errorf and to a Validation (Add, Check), and every phrase a rule passes into one: each
// must have its Chinese sentence (refusalsZh) without a Latin word outside codes and numbers. A message
// built by concatenation, which no catalogue can key, fails too: make it a format with arguments.
func TestEveryRefusalAUserReadsIsWrittenInChinese(t *testing.T) {
	verbs := regexp.MustCompile(`%(\[\d+\])?[-+# 0-9.]*[sdqvt]`)
	seen := 0
	for _, dir := range []string{"workflows", "cases", "accounts", "store", "api/web"} {
		files, err := filepath.Glob(filepath.Join("..", "..", dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no source in %s: %v", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			fs := token.NewFileSet()
			file, err := parser.ParseFile(fs, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				if lit, ok := n.(*ast.CompositeLit); ok {
					seen += messagesOf(t, fs, lit, verbs)
					return true
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				name := ""
				switch fn := call.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
					if x, ok := fn.X.(*ast.Ident); name == "Errorf" && (!ok || x.Name != "fengqiao") {
						return true // fmt.Errorf: an internal error, never shown
					}
				}
				at := fs.Position(call.Pos()).String()
				if i, ok := formatArg[name]; ok && len(call.Args) > i {
					msgid, ok := literal(call.Args[i])
					if !ok {
						if id, isIdent := call.Args[i].(*ast.Ident); isIdent && (id.Name == "format" || id.Name == "message") {
							return true // a wrapper passing its own format on
						}
						t.Errorf("%s: %s is given a message built at run time; give it a format and arguments", at, name)
						return true
					}
					seen++
					checkZh(t, at, msgid, verbs)
				}
				if i, ok := phraseArg[name]; ok && len(call.Args) > i {
					if phrase, ok := literal(call.Args[i]); ok {
						checkZh(t, at, phrase, verbs)
					}
				}
				return true
			})
		}
	}
	if seen < 200 {
		t.Fatalf("found only %d messages: is the parser looking at the right calls?", seen)
	}
}

// fengqiaoType reports whether e names the type fengqiao.<name>.
func fengqiaoType(e ast.Expr, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "fengqiao"
}

// messagesOf checks the Message of a fengqiao.Error or fengqiao.FieldError literal (the field errors of
// a []fengqiao.FieldError literal too) and returns how many it checked. A field error's message built
// by concatenation fails; so does an error's without field errors (with them, a page shows the fields).
func messagesOf(t *testing.T, fs *token.FileSet, lit *ast.CompositeLit, verbs *regexp.Regexp) int {
	t.Helper()
	var lits []*ast.CompositeLit
	switch {
	case fengqiaoType(lit.Type, "Error"), fengqiaoType(lit.Type, "FieldError"):
		lits = append(lits, lit)
	default:
		if arr, ok := lit.Type.(*ast.ArrayType); ok && fengqiaoType(arr.Elt, "FieldError") {
			for _, el := range lit.Elts {
				if inner, ok := el.(*ast.CompositeLit); ok && inner.Type == nil {
					lits = append(lits, inner)
				}
			}
		}
	}
	n := 0
	for _, l := range lits {
		var message ast.Expr
		hasFields := false
		for _, el := range l.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				switch key, _ := kv.Key.(*ast.Ident); {
				case key == nil:
				case key.Name == "Message":
					message = kv.Value
				case key.Name == "Fields":
					hasFields = true
				}
			}
		}
		if message == nil {
			continue
		}
		if fengqiaoType(l.Type, "Error") && hasFields {
			continue // a page shows the field errors, not this summary
		}
		at := fs.Position(l.Pos()).String()
		if s, ok := literal(message); ok {
			n++
			checkZh(t, at, s, verbs)
		} else if bin, ok := message.(*ast.BinaryExpr); ok && bin.Op == token.ADD {
			t.Errorf("%s: a message built by concatenation; use a format (fengqiao.Errorf, fengqiao.FieldErrorf)", at)
		}
	}
	return n
}

func checkZh(t *testing.T, at, msgid string, verbs *regexp.Regexp) {
	t.Helper()
	zh, ok := refusalsZh[msgid]
	if !ok {
		t.Errorf("%s: no Chinese for %q", at, msgid)
		return
	}
	if w := latinWordOf(strings.NewReplacer("UTF-8", "", "JPEG", "", "PNG", "", "PDF", "", "MB", "", "KB", "").
		Replace(verbs.ReplaceAllString(zh, " "))); w != "" {
		t.Errorf("%s: the Chinese for %q holds the Latin word %q: %s", at, msgid, w, zh)
	}
}

// TestARefusalReadsInThePagesLanguageNamingWhatItNames: a refusal made in English with its arguments
// reads on a Chinese page as the catalogue's sentence naming the action, status, tier and node, the
// person and the day; a validation error names its field by its label; an English page keeps the
// message as made, and a message without a format is its own msgid.
func TestARefusalReadsInThePagesLanguageNamingWhatItNames(t *testing.T) {
	msgs := newCatalogue()
	nodes := map[string]string{"330203001": "鼓楼街道", "330203": "海曙区", "330203001001": "孝闻社区"}
	people := map[string]string{"med-village": "李调解"}
	reader := func(lang string) *page {
		return &page{Lang: lang, msgs: msgs, people: map[string]string{},
			nameOf: func(u string) string {
				if n, ok := people[u]; ok {
					return n
				}
				return u
			},
			nodeOf: func(c string) string {
				if n, ok := nodes[c]; ok {
					return n
				}
				return c
			}}
	}
	var v fengqiao.Validation
	v.Add("note", "is required")
	v.Add("score", "must be 1 to 5")
	invalid := v.Err().(*fengqiao.Error)
	for _, tc := range []struct {
		name   string
		fe     *fengqiao.Error
		zh, en string
	}{
		{"an action refused in a status names both",
			fengqiao.Errorf(fengqiao.ECodeNotAllowed, "%s is not allowed while the case is %s", "escalate", fengqiao.StatusClosed),
			"当前状态下不能办理：案件处于“已办结”状态，不能上报上一级", "escalate is not allowed while the case is closed"},
		{"a tier skipped names the nodes and the tier",
			fengqiao.Errorf(fengqiao.ECodeTierSkip, "a case rises one tier at a time: the next tier is %s (%s), not %s", "330203001", fengqiao.TierTownship, "330203"),
			"", "a case rises one tier at a time: the next tier is 330203001 (township), not 330203"},
		{"a person and a phrase the rule passes in",
			fengqiao.Errorf(fengqiao.ECodeForbidden, "only the assigned mediator %s may %s", "med-village", "record an agreement"),
			"", "only the assigned mediator med-village may record an agreement"},
		{"a day", fengqiao.Errorf(fengqiao.ECodeNotAllowed, "the 30-day window for judicial confirmation closed on %s (PML 33)", "2026-04-01"),
			"", "the 30-day window for judicial confirmation closed on 2026-04-01 (PML 33)"},
		{"a validation error names its fields by their labels", invalid, "", invalid.Message},
		{"a message made without a format is its own msgid", &fengqiao.Error{Code: fengqiao.ECodeNotAllowed, Message: "the case has been rated"},
			"", "the case has been rated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &handler{msgs: msgs}
			zh := h.errorText(reader("zh"), tc.fe)
			if w := latinWordOf(zh); w != "" {
				t.Errorf("the Chinese page reads %q: it holds the Latin word %q", zh, w)
			}
			if tc.zh != "" && zh != tc.zh {
				t.Errorf("zh %q, want %q", zh, tc.zh)
			}
			if en := reader("en").errorMessage(tc.fe); en != tc.en {
				t.Errorf("en %q, want %q", en, tc.en)
			}
		})
	}
	p := reader("zh")
	for _, c := range []struct {
		fe   *fengqiao.Error
		want string
	}{
		{fengqiao.Errorf(fengqiao.ECodeTierSkip, "a case rises one tier at a time: the next tier is %s (%s), not %s", "330203001", fengqiao.TierTownship, "330203"),
			"案件逐级上报，上一级是鼓楼街道（镇（街道）），不是海曙区"},
		{fengqiao.Errorf(fengqiao.ECodeForbidden, "only the assigned mediator %s may %s", "med-village", "record an agreement"),
			"只有承办调解员李调解可以记录调解协议"},
		{fengqiao.Errorf(fengqiao.ECodeNotAllowed, "the 30-day window for judicial confirmation closed on %s (PML 33)", "2026-04-01"),
			"申请司法确认的30日期限已于2026年04月01日届满（《人民调解法》第三十三条）"},
		{invalid, "说明必须填写；评分须为1至5"},
		{&fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "2 bad rows", Fields: []fengqiao.FieldError{
			{Field: "line 3", Message: "code 3302 repeats line 2", Format: "code %s repeats line %d", Args: []string{"3302", "2"}},
			{Field: "line 4", Message: "name must be 1 to 100 characters", Format: "%s must be 1 to 100 characters", Args: []string{"name"}}}},
			"第3行编码3302与第2行重复；第4行名称须为1至100字"},
	} {
		if got := p.errorMessage(c.fe); got != c.want {
			t.Errorf("zh %q, want %q", got, c.want)
		}
	}
	// written in both languages with no catalogue entry (the body rules): the Chinese half alone
	for i, f := range p.fieldTexts([]fengqiao.FieldError{
		{Field: "superior", Message: "上级机关不能是本机构自身 (cannot be the body itself)"},
		{Field: "node", Message: "所在辖区必填 / is required"},
		{Field: "name", Message: "须为1至100字（《人民调解法》第二十九条）"}}) {
		if want := []string{"上级机关不能是本机构自身", "所在辖区必填", "须为1至100字（《人民调解法》第二十九条）"}[i]; f.Message != want {
			t.Errorf("zh %q, want %q", f.Message, want)
		}
	}
}

// TestAFieldOfAListIsNamedByItsPlaceAndLabel: a validation error about one party names which party and
// which of its fields, in words, never as parties[0].id_number on a Chinese page.
func TestAFieldOfAListIsNamedByItsPlaceAndLabel(t *testing.T) {
	msgs := newCatalogue()
	for _, tc := range []struct{ lang, field, want string }{
		{"zh", "parties[0].id_number", "第1名当事人的公民身份号码"},
		{"zh", "parties[2].credit_code", "第3名当事人的统一社会信用代码"},
		{"zh", "parties[1]", "当事人 2"},
		{"zh", "line 3", "第3行"},
		{"en", "parties[0].id_number", "Parties 1: ID number"},
		{"zh", "nonsense[x].y", "nonsense[x].y"},
	} {
		p := &page{Lang: tc.lang, msgs: msgs}
		if got := p.FieldLabel(tc.field); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.lang, tc.field, got, tc.want)
		}
	}
}
