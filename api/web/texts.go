package web

import (
	"net/http"
	"strconv"
	"strings"

	"fengqiao"
)

// The JSON API writes what a user reads (a timeline line, a refusal) as the pages do, in the request's
// language: ?lang=zh|en, else the Accept-Language header, else Chinese (api.Texts).

// EventText is a timeline event's sentence in the request's language, as the case page writes it;
// structured says the event was stored with its facts (see renderEvent).
func (p *Pages) EventText(r *http.Request, typ string, structured bool, args map[string]string, detail string) string {
	return renderEvent(p.h.reader(r, RequestLang(r)), typ, structured, args, detail)
}

// ErrorText is fe as a page shows it in the request's language: the code's sentence and the message.
func (p *Pages) ErrorText(r *http.Request, fe *fengqiao.Error) string {
	return p.h.errorText(p.h.reader(r, RequestLang(r)), fe)
}

// RequestLang is the language an API request asks for: ?lang=zh|en, else the Accept-Language the
// client prefers most among zh and en, else zh (Chinese first).
func RequestLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		return l
	}
	best, bestQ := "zh", -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		lang := strings.ToLower(tag)
		switch {
		case lang == "zh" || strings.HasPrefix(lang, "zh-"):
			lang = "zh"
		case lang == "en" || strings.HasPrefix(lang, "en-"):
			lang = "en"
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}
