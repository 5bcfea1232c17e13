package cases

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
)

// Search for staff: one box that takes what a clerk knows — a party's name or part of it, a name with
// the last four digits of the phone, an ID number, a phone, a case number or its beginning, a query
// code — classified by its shape (ClassifySearch), matched by keyed hashes for personal data
// (store.Search), only among the cases the caller may read (the same read scope as the lists), and
// audited by kind, never by key.

// SearchKinds are the kinds a search may name, in the order the pages offer them.
var SearchKinds = []store.SearchKind{store.SearchName, store.SearchNamePhone4, store.SearchIDNumber,
	store.SearchPhone, store.SearchNumber, store.SearchQueryCode}

var (
	idShape        = regexp.MustCompile(`^[0-9]{17}[0-9Xx]$`)
	mobileShape    = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	fixedShape     = regexp.MustCompile(`^0[0-9]{9,11}$`)
	queryCodeShape = regexp.MustCompile(`^[2-9A-HJ-NP-Z]{12}$`)
	numberShape    = regexp.MustCompile(`^[0-9A-Za-z]{2,12}(-[0-9]{0,4}(-[0-9]{0,6})?)?$`)
	fixedTyped     = regexp.MustCompile(`^0[0-9]{2,3}[-(（)）]*[0-9]{7,8}$`)
	namePhone4     = regexp.MustCompile(`^(\D+?)\s*([0-9]{4})$`)
)

func invalidQ(msg string) error {
	return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "q: " + msg,
		Fields: []fengqiao.FieldError{{Field: "q", Message: msg}}}
}

// compactPhone is a phone as typed without spaces, hyphens, brackets and a +86/0086 country code.
func compactPhone(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("-()（）", r) {
			return -1
		}
		return r
	}, s)
	for _, cc := range []string{"+86", "0086", "86"} {
		if rest, ok := strings.CutPrefix(s, cc); ok && mobileShape.MatchString(rest) {
			return rest
		}
	}
	return s
}

// phoneSpellings are the ways a phone can be stored (the intake keeps it as typed once valid: a fixed
// line with or without the hyphen after its 3- or 4-digit area code).
func phoneSpellings(digits string) []string {
	if !strings.HasPrefix(digits, "0") {
		return []string{digits}
	}
	return []string{digits, digits[:3] + "-" + digits[3:], digits[:4] + "-" + digits[4:]}
}

// ClassifySearch reads a search box: q as typed, kind "" to tell it by its shape or one of
// SearchKinds. It returns the search without its hashes and, for an ID number or a phone, the
// normalised key to hash (Service.Search hashes it); or a field error naming q (or kind).
func ClassifySearch(q, kind string) (sq store.SearchQuery, key string, err error) {
	sq, err = classify(q, kind, &key)
	return sq, key, err
}

func classify(q, kind string, key *string) (store.SearchQuery, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return store.SearchQuery{}, invalidQ("is required")
	}
	if len([]rune(q)) > 64 {
		return store.SearchQuery{}, invalidQ("must be at most 64 characters")
	}
	compact := strings.Join(strings.Fields(q), "")
	k := store.SearchKind(kind)
	if kind == "" {
		upper := strings.ToUpper(compact)
		switch {
		case idShape.MatchString(compact):
			k = store.SearchIDNumber
		case mobileShape.MatchString(compactPhone(q)) || fixedTyped.MatchString(compact):
			k = store.SearchPhone
		case queryCodeShape.MatchString(upper) && strings.ContainsAny(upper, "ABCDEFGHJKLMNPQRSTUVWXYZ"):
			k = store.SearchQueryCode
		case numberShape.MatchString(compact) && strings.ContainsAny(compact, "0123456789"):
			k = store.SearchNumber
		case namePhone4.MatchString(q):
			k = store.SearchNamePhone4
		default:
			k = store.SearchName
		}
	}
	out := store.SearchQuery{Kind: k}
	switch k {
	case store.SearchIDNumber:
		id := fengqiao.NormalizeIDNumber(compact)
		if !fengqiao.ValidIDNumber(id) {
			return out, invalidQ("must be a valid 18-digit resident ID number")
		}
		*key = id
	case store.SearchPhone:
		p := compactPhone(q)
		if !mobileShape.MatchString(p) && !fixedShape.MatchString(p) {
			return out, invalidQ("must be a mobile number or a fixed line with its area code")
		}
		*key = p
	case store.SearchQueryCode:
		out.QueryCode = strings.ToUpper(compact)
		if !queryCodeShape.MatchString(out.QueryCode) {
			return out, invalidQ("must be a 12-character query code")
		}
	case store.SearchNumber:
		if !numberShape.MatchString(compact) {
			return out, invalidQ("must be a case number or its beginning")
		}
		out.Number = compact
	case store.SearchNamePhone4:
		m := namePhone4.FindStringSubmatch(q)
		if m == nil {
			return out, invalidQ("must be a name followed by the last 4 digits of the phone")
		}
		out.Name, out.Last4 = strings.TrimSpace(m[1]), m[2]
	case store.SearchName:
		if strings.ContainsAny(q, "0123456789") {
			return out, invalidQ("a name holds no digits")
		}
		if store.NormalizeName(q) == "" {
			return out, invalidQ("is required")
		}
		out.Name = q
	default:
		return out, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "kind: must be one of name, name_phone4, id_number, phone, number, query_code",
			Fields: []fengqiao.FieldError{{Field: "kind", Message: "must be one of name, name_phone4, id_number, phone, number, query_code"}}}
	}
	return out, nil
}

// SearchParty is a party as a result list shows it: the name masked (张*丰), identifiers masked, and
// whether the search key matched this party.
type SearchParty struct {
	Role           fengqiao.PartyRole `json:"role"`
	NameMasked     string             `json:"name_masked"`
	IDNumberMasked string             `json:"id_number_masked,omitempty"`
	PhoneMasked    string             `json:"phone_masked,omitempty"`
	Matched        bool               `json:"matched,omitempty"`
}

// SearchItem is one case found.
type SearchItem struct {
	Case    store.CaseRow
	Parties []SearchParty
	// Exact is a whole match (the whole name, number, ID number, phone or code).
	Exact bool
}

// SearchResult is what a search found.
type SearchResult struct {
	Kind  store.SearchKind
	Items []SearchItem
}

// MaskName keeps the first character of a name and, from three characters on, its last: 张*, 张*丰,
// 欧**娜 — enough for a clerk to tell cases apart in a list, not a full read.
func MaskName(name string) string {
	rs := []rune(strings.TrimSpace(name))
	switch len(rs) {
	case 0:
		return ""
	case 1:
		return "*"
	case 2:
		return string(rs[0]) + "*"
	}
	return string(rs[0]) + strings.Repeat("*", len(rs)-2) + string(rs[len(rs)-1])
}

// Search finds cases for user by q (kind "" classifies q by its shape), among the cases user may read,
// whole matches first, then the newest; at most 50. The search is audited by kind and count: the key
// itself is written nowhere.
func (s *Service) Search(ctx context.Context, user, q, kind string) (SearchResult, error) {
	sq, key, err := ClassifySearch(q, kind)
	if err != nil {
		return SearchResult{Kind: sq.Kind}, err
	}
	switch sq.Kind {
	case store.SearchIDNumber:
		sq.IDHashes = s.Keys.HashAll("id_number", key)
	case store.SearchPhone:
		for _, p := range phoneSpellings(key) {
			sq.PhoneHashes = append(sq.PhoneHashes, s.Keys.HashAll("phone", p)...)
		}
	}
	items, err := s.search(ctx, user, sq)
	if err != nil {
		return SearchResult{Kind: sq.Kind}, err
	}
	s.audit(ctx, user, string(policy.ActionCaseRead), "", "cases/search", auditRead,
		fmt.Sprintf("search by %s: %d cases found", sq.Kind, len(items)))
	return SearchResult{Kind: sq.Kind, Items: items}, nil
}

// search runs sq within user's read scope and shows each hit as user may see it: a reader who may not
// see who complained (XGTL 30) sees neither the applicants in the list nor a case found only by them.
func (s *Service) search(ctx context.Context, user string, sq store.SearchQuery) ([]SearchItem, error) {
	sq.Scope = s.readScope(user)
	hits, err := s.DB.SearchCases(ctx, s.Keys, sq)
	if err != nil {
		return nil, err
	}
	items := make([]SearchItem, 0, len(hits))
	for _, h := range hits {
		r := h.Case
		seeComplainant := s.Authz.MaySeeComplainant(user, policy.CaseRef{Location: r.Location, HandlingNode: r.HandlingNode,
			Assignee: r.Assignee, Court: r.Court, FirstContactUser: r.FirstContactUser, FirstContactNode: r.FirstContactNode})
		matched := map[int]bool{}
		for _, i := range h.Matched {
			matched[i] = true
		}
		item := SearchItem{Case: r, Exact: h.Exact}
		found := len(h.Matched) == 0 // number and query code match the case itself
		for _, p := range h.Parties {
			role := fengqiao.PartyRole(p.Role)
			if !seeComplainant && (role == fengqiao.PartyApplicant || role == fengqiao.PartyRepresentative) {
				continue
			}
			found = found || matched[p.Idx]
			item.Parties = append(item.Parties, SearchParty{Role: role, NameMasked: MaskName(p.Name),
				IDNumberMasked: p.IDNumberMasked, PhoneMasked: p.PhoneMasked, Matched: matched[p.Idx]})
		}
		if found {
			items = append(items, item)
		}
	}
	s.openCaseRows(items)
	return items, nil
}

// openCaseRows opens the sealed summaries of the cases found.
func (s *Service) openCaseRows(items []SearchItem) {
	for i := range items {
		if err := items[i].Case.Open(s.Keys); err != nil {
			s.log().Error("search: case text does not open", "case", items[i].Case.ID, "error", err)
		}
	}
}

// Candidates are the open cases of req's applicants (and their representatives) — found by the same ID
// number or phone — that user may read, for the clerk to record a visit on one of them instead of
// opening a second case when the matter is the same (rule 3, 最多跑一次): an intake that leaves the
// respondent out, or names them otherwise, has another matter key and is not caught as a duplicate.
// They are offered, never imposed: a genuinely new matter of the same person is opened as usual. The
// lookup is audited by kind and count.
func (s *Service) Candidates(ctx context.Context, user string, req OpenRequest) ([]SearchItem, error) {
	var ids, phones []string
	for _, p := range req.Parties {
		if p.Role != fengqiao.PartyApplicant && p.Role != fengqiao.PartyRepresentative {
			continue
		}
		if id := fengqiao.NormalizeIDNumber(p.IDNumber); fengqiao.ValidIDNumber(id) {
			ids = append(ids, s.Keys.HashAll("id_number", id)...)
		}
		if ph := compactPhone(p.Phone); mobileShape.MatchString(ph) || fixedShape.MatchString(ph) {
			for _, v := range phoneSpellings(ph) {
				phones = append(phones, s.Keys.HashAll("phone", v)...)
			}
		}
	}
	var out []SearchItem
	seen := map[string]bool{}
	for _, sq := range []store.SearchQuery{
		{Kind: store.SearchIDNumber, IDHashes: ids, OpenOnly: true},
		{Kind: store.SearchPhone, PhoneHashes: phones, OpenOnly: true},
	} {
		if len(sq.IDHashes)+len(sq.PhoneHashes) == 0 {
			continue
		}
		items, err := s.search(ctx, user, sq)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if !seen[it.Case.ID] {
				seen[it.Case.ID] = true
				out = append(out, it)
			}
		}
	}
	if len(ids)+len(phones) > 0 {
		s.audit(ctx, user, string(policy.ActionCaseRead), req.Location, "cases/candidates", auditRead,
			fmt.Sprintf("intake candidates by id_number and phone: %d open cases found", len(out)))
	}
	return out, nil
}
