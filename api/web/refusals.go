package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"fengqiao"
	"fengqiao/deadline"
)

// A refusal or a validation message is written in English where it is made (the workflow's rules, the
// services' checks), so that the code reads as the rule; that English format string is its msgid
// (gettext style). The error carries the format and its arguments unformatted (fengqiao.Error.Format
// and Args, FieldError too); a Chinese page shows refusalsZh's sentence for the msgid with the
// arguments named as the catalogue names them (an action, a status, a tier, a node, a person, a day).
// The API keeps its detail in English and adds the same text in the request's language.

// valuePrefixes are the catalogue prefixes that may name a refusal's argument, tried in order.
var valuePrefixes = []string{"act.", "status.", "kind.", "tier.", "risk.", "decision.", "lawful.", "channel.",
	"body.", "cat.", "route.", "mode.", "party.", "role.", "notaccept.", "clock.kind."}

// errorMessage is fe's message in the page's language: in English as the API says it; in Chinese the
// catalogue's sentence, a validation error as its fields' labels and messages. A message the catalogue
// lacks stays as it was written (TestEveryRefusalAUserReadsIsWrittenInChinese keeps that from happening).
func (p *page) errorMessage(fe *fengqiao.Error) string {
	if p.Lang == "en" {
		return fe.Message
	}
	if fe.Format == "" && len(fe.Fields) > 0 {
		parts := make([]string, len(fe.Fields))
		for i, f := range p.fieldTexts(fe.Fields) {
			parts[i] = p.FieldLabel(f.Field) + f.Message
		}
		return strings.Join(parts, "；")
	}
	return p.translate(fe.Format, fe.Args, fe.Message)
}

// fieldTexts are field errors with their messages in the page's language.
func (p *page) fieldTexts(fields []fengqiao.FieldError) []fengqiao.FieldError {
	if p.Lang == "en" || len(fields) == 0 {
		return fields
	}
	out := make([]fengqiao.FieldError, len(fields))
	for i, f := range fields {
		out[i] = f
		out[i].Message = p.translate(f.Format, f.Args, f.Message)
	}
	return out
}

// FieldLabel is a form field as the page's reader knows it (its label), else its name; an import's
// "line 3" (or "第3行 code") names the line and the column.
func (p *page) FieldLabel(field string) string {
	if p.has("f." + field) {
		return p.T("f." + field)
	}
	if n, ok := strings.CutPrefix(field, "line "); ok && p.Lang != "en" {
		return "第" + n + "行"
	}
	if line, col, ok := strings.Cut(field, " "); ok && strings.HasPrefix(line, "第") {
		return line + " " + p.FieldLabel(col)
	}
	// an item of a list: parties[0].id_number is 第1名当事人的公民身份号码
	if list, rest, ok := strings.Cut(field, "["); ok && p.has("f."+list) {
		if idx, sub, ok := strings.Cut(rest, "]"); ok {
			if n, err := strconv.Atoi(idx); err == nil {
				sub = strings.TrimPrefix(sub, ".")
				if sub == "" {
					return fmt.Sprintf("%s %d", p.T("f."+list), n+1)
				}
				return fmt.Sprintf(p.T("f.field.item"), n+1, p.T("f."+list), p.FieldLabel(sub))
			}
		}
	}
	return field
}

// translate is the message with msgid format (message itself when it was made without one) in the
// page's language, its arguments as the reader names them; fallback when the catalogue lacks it.
func (p *page) translate(format string, args []string, fallback string) string {
	if p.Lang == "en" {
		return fallback
	}
	if format == "" {
		format, args = fallback, nil
	}
	zh, ok := refusalsZh[format]
	if !ok {
		// a field's message prefixed with the field ("%s " + its format: an import's line)
		if rest, field := strings.TrimPrefix(format, "%s "), ""; rest != format && len(args) > 0 {
			if zh, ok := refusalsZh[rest]; ok {
				field, args = args[0], args[1:]
				return p.FieldLabel(field) + fillVerbs(zh, p.valueTexts(args))
			}
		}
		return chineseHalf(fallback)
	}
	return fillVerbs(zh, p.valueTexts(args))
}

// chineseHalf is the Chinese of a message written in both languages without a catalogue entry —
// "中文 / English" or "中文 (English)" — and any other message as it is.
func chineseHalf(msg string) string {
	hasHan := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
	}
	if zh, en, ok := strings.Cut(msg, " / "); ok && hasHan(zh) && !hasHan(en) {
		return zh
	}
	if i := strings.LastIndex(msg, " ("); i > 0 && strings.HasSuffix(msg, ")") && hasHan(msg[:i]) && !hasHan(msg[i:]) {
		return msg[:i]
	}
	return msg
}

// valueTexts are a message's arguments as the reader names them.
func (p *page) valueTexts(args []string) []string {
	named := make([]string, len(args))
	for i, a := range args {
		named[i] = p.valueText(a)
	}
	return named
}

// valueText is one argument of a refusal as the reader names it.
func (p *page) valueText(v string) string {
	if v == "" {
		return v
	}
	if zh, ok := refusalsZh[v]; ok { // a phrase the rule passes in ("record an agreement")
		return zh
	}
	for _, pre := range valuePrefixes {
		if p.has(pre + v) {
			return p.T(pre + v)
		}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return p.Day(deadline.LastDate(t))
	}
	if t, err := time.Parse(dayLayout, v); err == nil {
		return p.Day(t)
	}
	if n := p.NodeName(v); n != v { // a node's code may be all digits
		return n
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	if p.nameOf != nil {
		return p.Name(v)
	}
	return v
}

// fillVerbs replaces the verbs of a format (%s, %d, %q, %v, %t and indexed %[2]s) by the arguments
// already written as text; %q quotes in the reader's marks and %% is a percent sign.
func fillVerbs(format string, args []string) string {
	var b strings.Builder
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		if format[i] == '%' {
			b.WriteByte('%')
			continue
		}
		n := next
		if format[i] == '[' {
			if j := strings.IndexByte(format[i:], ']'); j > 0 {
				if k, err := strconv.Atoi(format[i+1 : i+j]); err == nil {
					n = k - 1
				}
				i += j + 1
			}
		}
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i == len(format) {
			break
		}
		a := "—"
		if n >= 0 && n < len(args) {
			a = args[n]
		}
		if format[i] == 'q' {
			a = "“" + a + "”"
		}
		b.WriteString(a)
		next = n + 1
	}
	return b.String()
}
