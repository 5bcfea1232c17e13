package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"fengqiao"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Search finds cases by what a clerk knows of them: a party's name (any part of two or more
// characters, or a one-character name whole), ID number or phone, a party's name with the last four
// digits of their phone, a case number (whole or its beginning) or a query code. Names, ID numbers and
// phones are matched by keyed hashes (Hasher), never by clear text in an index:
//
//   - ID numbers and phones by the hashes case_parties has kept since migration 0002 (id_number_hash,
//     phone_hash), under every key of the ring (HashAll), so a key rotation loses nothing;
//   - names by case_search_keys (migration 0021): one row per distinct character bigram of a party's
//     normalised name, holding the gram's keyed hash cut to 128 bits and the party. A query's bigrams are
//     intersected on one party, and the hits are checked against the party's name, so a name holding
//     the query's bigrams apart ("张伟X伟明" for "张伟明") is not returned. Each key carries its case's
//     scope columns (migration 0025, kept by the projection), so a bigram's keys are read within the
//     reader's scope as one range of the table: the cases of other places are never read.
//
// What the bigram index still tells a thief of the database without the key: how often each (hashed)
// bigram occurs, and which parties share one. That is less than case_parties.name, which today still
// holds the name in clear (a gap this index does not widen: sealing the name column later leaves search
// working, as the hits are then checked against the opened name).

// Hasher makes the keyed hashes lookups are done by; *secret.Keyring is the one Fengqiao uses.
type Hasher interface {
	// Hash is the digest under the current key (what is written).
	Hash(purpose, value string) string
	// HashAll is the digest under every key of the ring (what is looked up).
	HashAll(purpose, value string) []string
}

// namePurpose separates the name bigrams' hashes from every other keyed hash.
const namePurpose = "search-name"

// searchHashLen is how much of the hex digest a search key keeps: 128 bits, beyond collision among
// the hundreds of millions of keys a province would hold, at half the bytes.
const searchHashLen = 32

// SearchKeyRow is one bigram of one party's name, hashed (see Search).
type SearchKeyRow struct {
	Hash   string `gorm:"primaryKey"`
	CaseID string `gorm:"primaryKey"`
	Idx    int    `gorm:"primaryKey"`
}

// TableName implements gorm's Tabler.
func (SearchKeyRow) TableName() string { return "case_search_keys" }

// NormalizeName is a name as search compares it: without spaces and the dots that join the parts of
// a transcribed name (阿卜杜·热合曼), Latin letters in lower case.
func NormalizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || strings.ContainsRune("·・•.．", r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// nameGrams are the distinct bigrams of a normalised name, in order; a one-character name is its own
// gram, so that it too can be found (by itself only).
func nameGrams(name string) []string {
	rs := []rune(NormalizeName(name))
	if len(rs) == 1 {
		return []string{string(rs)}
	}
	var out []string
	seen := map[string]bool{}
	for i := 0; i+1 < len(rs); i++ {
		g := string(rs[i : i+2])
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

func cut(h string) string {
	if len(h) > searchHashLen {
		return h[:searchHashLen]
	}
	return h
}

// NameSearchKeys are the search keys of a party's name, hashed under h's current key: what the
// projection writes beside the party (CaseProjection.SearchKeys).
func NameSearchKeys(h Hasher, caseID string, idx int, name string) []SearchKeyRow {
	grams := nameGrams(name)
	out := make([]SearchKeyRow, 0, len(grams))
	for _, g := range grams {
		out = append(out, SearchKeyRow{Hash: cut(h.Hash(namePurpose, g)), CaseID: caseID, Idx: idx})
	}
	return out
}

// SearchKind is what a search key is.
type SearchKind string

// The kinds of search key.
const (
	SearchName       SearchKind = "name"        // a party's name or part of it
	SearchNamePhone4 SearchKind = "name_phone4" // a party's name with the last 4 digits of their phone
	SearchIDNumber   SearchKind = "id_number"   // a party's ID number
	SearchPhone      SearchKind = "phone"       // a party's phone
	SearchNumber     SearchKind = "number"      // a case number, whole or its beginning
	SearchQueryCode  SearchKind = "query_code"  // a case's query code
)

// SearchQuery is one search. Only the fields of its Kind count.
type SearchQuery struct {
	Kind SearchKind
	// Name is the name (or part of it) for SearchName and SearchNamePhone4, as typed.
	Name string
	// Last4 are the last four digits of the phone for SearchNamePhone4.
	Last4 string
	// IDHashes are the keyed hashes (every key's) of the normalised ID number for SearchIDNumber.
	IDHashes []string
	// PhoneHashes are the keyed hashes (every key's, every stored spelling) of the phone for SearchPhone.
	PhoneHashes []string
	// Number is the case number, or its beginning, for SearchNumber: letters, digits and '-' only.
	Number string
	// QueryCode is the query code for SearchQueryCode.
	QueryCode string
	// OpenOnly keeps the cases still being handled.
	OpenOnly bool
	// Scope keeps only the cases its user may read; a nil scope reads nothing.
	Scope *ReadScope
	// Limit is the most hits returned (default and at most 50).
	Limit int
}

// SearchHit is a case found, with its parties and which of them matched (none for the kinds that
// match the case itself: number and query code).
type SearchHit struct {
	Case    CaseRow
	Parties []PartyRow
	Matched []int
	// Exact is a whole-name (or whole-number) match, listed before partial ones.
	Exact bool
}

// partyMatches is the subquery of (case_id, idx) of the parties q matches by ID number or phone, and
// its arguments; ok is false when nothing can match.
func (db *DB) partyMatches(q SearchQuery) (sql string, args []any, ok bool) {
	switch q.Kind {
	case SearchIDNumber:
		return "SELECT case_id, idx FROM case_parties WHERE id_number_hash IN ?", []any{q.IDHashes}, len(q.IDHashes) > 0
	case SearchPhone:
		return "SELECT case_id, idx FROM case_parties WHERE phone_hash IN ?", []any{q.PhoneHashes}, len(q.PhoneHashes) > 0
	}
	return "", nil, false
}

// syncSearchScope copies the scope columns of the cases into their search keys (migration 0025): after
// every projection step, so that a key is read with its case's scope as the case row stands.
func syncSearchScope(tx *gorm.DB, caseIDs ...string) error {
	if err := tx.Exec("UPDATE case_search_keys SET "+searchScopeSet+" WHERE case_id IN ?", caseIDs).Error; err != nil {
		return fmt.Errorf("search keys: scope: %w", err)
	}
	return nil
}

// gramKeys is the query of the search keys of one bigram (under every key of the ring) that q's scope
// may read, open ones only with q.OpenOnly: one range of the key table, filtered on the key rows.
func (db *DB) gramKeys(ctx context.Context, h Hasher, q SearchQuery, gram string) *gorm.DB {
	hs := h.HashAll(namePurpose, gram)
	for j := range hs {
		hs[j] = cut(hs[j])
	}
	tx := db.WithContext(ctx).Model(&SearchKeyRow{}).Select("case_id", "idx", "opened_at").Where("hash IN ?", hs)
	if q.OpenOnly {
		tx = tx.Where("status IN ?", openStatuses)
	}
	return q.Scope.apply(tx).Limit(gramKeysLimit)
}

// gramKeysLimit is the most keys of one bigram a search reads within its reader's scope.
const gramKeysLimit = 20000

// nameCandidate is a party whose name holds a search's bigrams, in the reader's scope.
type nameCandidate struct {
	CaseID   string
	Idx      int
	OpenedAt time.Time
}

// nameCandidates are the parties in q's scope whose names hold every bigram of q.Name (and whose
// phones end in q.Last4 for SearchNamePhone4): each bigram's keys are read in scope and the sets
// intersected here.
func (db *DB) nameCandidates(ctx context.Context, h Hasher, q SearchQuery) ([]nameCandidate, error) {
	grams := nameGrams(q.Name)
	if len(grams) == 0 || q.Scope == nil {
		return nil, nil
	}
	type party struct {
		id  string
		idx int
	}
	var found map[party]time.Time
	for _, g := range grams {
		var rows []nameCandidate
		if err := db.gramKeys(ctx, h, q, g).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("store: search by name: %w", err)
		}
		next := make(map[party]time.Time, len(rows))
		for _, r := range rows {
			k := party{r.CaseID, r.Idx}
			if _, ok := found[k]; ok || found == nil {
				next[k] = r.OpenedAt
			}
		}
		if found = next; len(found) == 0 {
			return nil, nil
		}
	}
	out := make([]nameCandidate, 0, len(found))
	for k, t := range found {
		out = append(out, nameCandidate{CaseID: k.id, Idx: k.idx, OpenedAt: t})
	}
	if q.Kind == SearchNamePhone4 && len(out) > 0 {
		ids := make([]string, 0, len(out))
		for _, c := range out {
			ids = append(ids, c.CaseID)
		}
		var ends []party
		var rows []struct {
			CaseID string
			Idx    int
		}
		for len(ids) > 0 {
			batch := ids[:min(len(ids), 500)]
			ids = ids[len(batch):]
			if err := db.WithContext(ctx).Model(&PartyRow{}).Select("case_id", "idx").
				Where("case_id IN ? AND phone_masked LIKE ?", batch, "%"+q.Last4).Scan(&rows).Error; err != nil {
				return nil, fmt.Errorf("store: search by name and phone: %w", err)
			}
			for _, r := range rows {
				ends = append(ends, party{r.CaseID, r.Idx})
			}
		}
		out = slices.DeleteFunc(out, func(c nameCandidate) bool { return !slices.Contains(ends, party{c.CaseID, c.Idx}) })
	}
	return out, nil
}

// searchLimit is the most hits one search returns.
const searchLimit = 50

// partyCandidates is the most cases a search by party reads before it picks the newest: a name part
// shared by more cases than that in the reader's scope lists the newest of some of them (a clerk
// types more of the name).
const partyCandidates = 2000

// searchQuery is the query of the cases q finds; ok is false when nothing can match. A search by case
// number or query code reads whole rows in the order they are listed (the number's index gives it); a
// search by party reads the ids and opening times of at most partyCandidates cases, unordered: SQLite
// would sort them in a temporary b-tree, whose buffer costs more than the search (see BENCHMARKS.md),
// so SearchCases orders them itself.
func (db *DB) searchQuery(ctx context.Context, h Hasher, q SearchQuery) (*gorm.DB, bool) {
	if q.Limit <= 0 || q.Limit > searchLimit {
		q.Limit = searchLimit
	}
	tx := db.WithContext(ctx).Model(&CaseRow{})
	switch q.Kind {
	case SearchNumber:
		if q.Number == "" {
			return nil, false
		}
		cond, args := underPath(tx, "number", q.Number)
		tx = tx.Where(cond, args...).Order("number").Limit(q.Limit)
	case SearchQueryCode:
		if q.QueryCode == "" {
			return nil, false
		}
		tx = tx.Where("query_code = ?", q.QueryCode).Limit(q.Limit)
	case SearchName, SearchNamePhone4:
		if len(nameGrams(q.Name)) == 0 || q.Scope == nil {
			return nil, false
		}
		return db.gramKeys(ctx, h, q, nameGrams(q.Name)[0]), true // the first bigram's read, for ExplainSearch
	default:
		sub, args, ok := db.partyMatches(q)
		if !ok {
			return nil, false
		}
		tx = tx.Select("id", "opened_at").Where("id IN (SELECT m.case_id FROM ("+sub+") m)", args...).Limit(partyCandidates)
	}
	if q.OpenOnly {
		tx = tx.Where("status IN ?", openStatuses)
	}
	if q.Scope == nil {
		return nil, false
	}
	return q.Scope.apply(tx), true
}

// SearchCases finds the cases q describes among those q.Scope may read (whole matches first, then the
// newest), with their parties and the parties that matched.
func (db *DB) SearchCases(ctx context.Context, h Hasher, q SearchQuery) ([]SearchHit, error) {
	if q.Limit <= 0 || q.Limit > searchLimit {
		q.Limit = searchLimit
	}
	var rows []CaseRow
	if q.Kind == SearchName || q.Kind == SearchNamePhone4 {
		found, err := db.nameCandidates(ctx, h, q)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, c := range found {
			if !seen[c.CaseID] {
				seen[c.CaseID] = true
				rows = append(rows, CaseRow{Case: fengqiao.Case{ID: c.CaseID, OpenedAt: c.OpenedAt}})
			}
		}
	} else {
		tx, ok := db.searchQuery(ctx, h, q)
		if !ok {
			return nil, nil
		}
		if err := tx.Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("store: search cases: %w", err)
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	if q.Kind != SearchNumber && q.Kind != SearchQueryCode {
		sort.Slice(rows, func(i, j int) bool {
			if !rows[i].OpenedAt.Equal(rows[j].OpenedAt) {
				return rows[i].OpenedAt.After(rows[j].OpenedAt)
			}
			return rows[i].ID < rows[j].ID
		})
		if len(rows) > q.Limit {
			rows = rows[:q.Limit]
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		var full []CaseRow
		if err := db.WithContext(ctx).Where("id IN ?", ids).Find(&full).Error; err != nil {
			return nil, fmt.Errorf("store: search cases: %w", err)
		}
		byID := make(map[string]CaseRow, len(full))
		for _, r := range full {
			byID[r.ID] = r
		}
		for i := range rows {
			rows[i] = byID[rows[i].ID]
		}
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var parties []PartyRow
	if err := db.WithContext(ctx).Where("case_id IN ?", ids).Find(&parties).Error; err != nil {
		return nil, fmt.Errorf("store: search cases: parties: %w", err)
	}
	sort.Slice(parties, func(i, j int) bool { return parties[i].Idx < parties[j].Idx })
	byCase := map[string][]PartyRow{}
	for _, p := range parties {
		byCase[p.CaseID] = append(byCase[p.CaseID], p)
	}
	want := NormalizeName(q.Name)
	in := func(hs []string, h string) bool {
		for _, x := range hs {
			if h != "" && x == h {
				return true
			}
		}
		return false
	}
	hits := make([]SearchHit, 0, len(rows))
	for _, r := range rows {
		hit := SearchHit{Case: r, Parties: byCase[r.ID]}
		for _, p := range hit.Parties {
			name := NormalizeName(p.Name)
			var m bool
			switch q.Kind {
			case SearchName:
				m = strings.Contains(name, want) && (len([]rune(want)) > 1 || name == want)
			case SearchNamePhone4:
				m = strings.Contains(name, want) && (len([]rune(want)) > 1 || name == want) && strings.HasSuffix(p.PhoneMasked, q.Last4)
			case SearchIDNumber:
				m = in(q.IDHashes, p.IDNumberHash)
			case SearchPhone:
				m = in(q.PhoneHashes, p.PhoneHash)
			}
			if m {
				hit.Matched = append(hit.Matched, p.Idx)
				hit.Exact = hit.Exact || name == want
			}
		}
		switch q.Kind {
		case SearchNumber:
			hit.Exact = r.Number == q.Number
		case SearchQueryCode, SearchIDNumber, SearchPhone:
			hit.Exact = true
		}
		if q.Kind != SearchNumber && q.Kind != SearchQueryCode && len(hit.Matched) == 0 {
			continue // the bigrams met on the party, the name does not hold the query
		}
		hits = append(hits, hit)
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Exact && !hits[j].Exact })
	return hits, nil
}

// backfillBatch is how many cases IndexSearchBackfill indexes in one transaction.
const backfillBatch = 200

// IndexSearchBackfill writes the search keys of the parties projected before migration 0021 (later
// ones get theirs with the projection) and returns how many parties it indexed. It keeps its progress
// in search_backfill, so that a restart resumes it and a finished one returns at once; it may run while
// the application runs (keys are insert-or-ignore).
func (db *DB) IndexSearchBackfill(ctx context.Context, h Hasher) (int64, error) {
	var total int64
	for {
		var mark struct {
			AfterCase string
			Done      bool
		}
		if err := db.WithContext(ctx).Raw("SELECT after_case, done FROM search_backfill WHERE id = 1").Scan(&mark).Error; err != nil {
			return total, fmt.Errorf("store: search backfill: %w", err)
		}
		if mark.Done {
			return total, nil
		}
		var ids []string
		if err := db.WithContext(ctx).Model(&CaseRow{}).Where("id > ?", mark.AfterCase).Order("id").Limit(backfillBatch).Pluck("id", &ids).Error; err != nil {
			return total, fmt.Errorf("store: search backfill: %w", err)
		}
		var parties []PartyRow
		if len(ids) > 0 {
			if err := db.WithContext(ctx).Select("case_id", "idx", "name").Where("case_id IN ?", ids).Find(&parties).Error; err != nil {
				return total, fmt.Errorf("store: search backfill: %w", err)
			}
		}
		var keys []SearchKeyRow
		for _, p := range parties {
			keys = append(keys, NameSearchKeys(h, p.CaseID, p.Idx, p.Name)...)
		}
		err := db.Tx(ctx, func(tx *gorm.DB) error {
			if len(keys) > 0 {
				if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(keys, 500).Error; err != nil {
					return err
				}
				if err := syncSearchScope(tx, ids...); err != nil {
					return err
				}
			}
			if len(ids) == 0 {
				return tx.Exec("UPDATE search_backfill SET done = ? WHERE id = 1", true).Error
			}
			return tx.Exec("UPDATE search_backfill SET after_case = ? WHERE id = 1", ids[len(ids)-1]).Error
		})
		if err != nil {
			return total, fmt.Errorf("store: search backfill: %w", err)
		}
		total += int64(len(parties))
	}
}
