package procedure

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
)

// Clause is one numbered clause of a draft version.
type Clause struct {
	// Number counts the draft's clauses from 1.
	Number int `json:"number"`
	// Heading is the clause's own label, e.g. 第三条; empty for a numbered paragraph.
	Heading string `json:"heading,omitempty"`
	// Text is the clause's text, heading included.
	Text string `json:"text"`
	// SHA256 is the hash of Text without its heading.
	SHA256 string `json:"sha256"`
}

// clauseHeading matches the start of an article (条) in Chinese legislative drafting style.
var clauseHeading = regexp.MustCompile(`^\s*(第[一二三四五六七八九十百千零〇两0-9０-９]+条)`)

// SplitClauses splits a draft's text into numbered clauses: at each 第…条 when the text has
// them (text before the first one — title, chapter headings — belongs to no clause), else at
// each non-empty paragraph.
func SplitClauses(text string) []Clause {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var out []Clause
	add := func(heading string, body []string) {
		t := strings.TrimSpace(strings.Join(body, "\n"))
		if t == "" {
			return
		}
		// The hash leaves out the clause's own label, so a clause renumbered but not reworded
		// is recognised as unchanged.
		sum := sha256.Sum256([]byte(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), heading))))
		out = append(out, Clause{Number: len(out) + 1, Heading: heading, Text: t, SHA256: hex.EncodeToString(sum[:])})
	}
	if hasArticles(lines) {
		var heading string
		var body []string
		for _, l := range lines {
			if m := clauseHeading.FindStringSubmatch(l); m != nil {
				if body != nil {
					add(heading, body)
				}
				heading, body = m[1], []string{l}
				continue
			}
			if body != nil && !isStructureHeading(l) {
				body = append(body, l)
			}
		}
		if body != nil {
			add(heading, body)
		}
		return out
	}
	for _, l := range lines {
		add("", []string{l})
	}
	return out
}

func hasArticles(lines []string) bool {
	for _, l := range lines {
		if clauseHeading.MatchString(l) {
			return true
		}
	}
	return false
}

// structureHeading matches chapter and section headings, which separate clauses but belong
// to none of them.
var structureHeading = regexp.MustCompile(`^\s*第[一二三四五六七八九十百零〇0-9]+[章节编]`)

func isStructureHeading(l string) bool { return structureHeading.MatchString(l) }

// Clause statuses of a comment's clause in a later draft version.
const (
	// ClauseUnchanged means the clause's text is in the new version as it was.
	ClauseUnchanged = "unchanged"
	// ClauseChanged means the clause was revised (and perhaps renumbered).
	ClauseChanged = "changed"
	// ClauseRemoved means no clause of the new version continues it.
	ClauseRemoved = "removed"
)

// ClauseLink carries a clause of an earlier version to the new version.
type ClauseLink struct {
	// From is the clause's number in the earlier version.
	From int `json:"from"`
	// To is the matching clause's number in the new version; 0 when removed.
	To int `json:"to,omitempty"`
	// Status is unchanged, changed or removed.
	Status string `json:"status"`
}

// ClauseDiff compares two versions' clauses.
type ClauseDiff struct {
	// Links carry every clause of the old version to the new.
	Links []ClauseLink `json:"links"`
	// Added counts the new version's clauses that continue none of the old.
	Added int `json:"added"`
	// ChangedShare is the share of clauses changed, removed or added, of the larger version:
	// the measure of a major revision.
	ChangedShare float64 `json:"changed_share"`
}

// Similarity scores how alike two texts are, from 0 (nothing in common) to 1 (the same).
type Similarity func(a, b string) float64

// clauseSimilarity is the least similarity at which a revised clause still continues an old
// one.
const clauseSimilarity = 0.5

// DiffClauses carries each old clause to the new version: the same text anywhere is
// unchanged (even renumbered); otherwise the clause at the same number, or else the most
// similar unclaimed clause, continues it as changed when similar enough; else it is removed.
func DiffClauses(old, new []Clause, similarity Similarity) ClauseDiff {
	claimed := make([]bool, len(new))
	links := make([]ClauseLink, len(old))
	byHash := map[string][]int{}
	for i, c := range new {
		byHash[c.SHA256] = append(byHash[c.SHA256], i)
	}
	for i, c := range old {
		links[i] = ClauseLink{From: c.Number, Status: ClauseRemoved}
		for _, j := range byHash[c.SHA256] {
			if !claimed[j] {
				claimed[j] = true
				links[i] = ClauseLink{From: c.Number, To: new[j].Number, Status: ClauseUnchanged}
				break
			}
		}
	}
	for i, c := range old {
		if links[i].Status != ClauseRemoved {
			continue
		}
		if j := bestMatch(c, new, claimed, i, similarity); j >= 0 {
			claimed[j] = true
			links[i] = ClauseLink{From: c.Number, To: new[j].Number, Status: ClauseChanged}
		}
	}
	d := ClauseDiff{Links: links}
	changed := 0
	for _, l := range links {
		if l.Status != ClauseUnchanged {
			changed++
		}
	}
	for _, c := range claimed {
		if !c {
			d.Added++
		}
	}
	if total := max(len(old), len(new)); total > 0 {
		d.ChangedShare = float64(min(changed+d.Added, total)) / float64(total)
	}
	return d
}

// bestMatch returns the unclaimed new clause continuing old clause c: the one at the same
// position if it has the same heading (a rewritten article keeps its number) or is similar
// enough, else the most similar; -1 if none is.
func bestMatch(c Clause, new []Clause, claimed []bool, pos int, similarity Similarity) int {
	if pos < len(new) && !claimed[pos] &&
		((c.Heading != "" && new[pos].Heading == c.Heading) || similarity(c.Text, new[pos].Text) >= clauseSimilarity) {
		return pos
	}
	best, bestSim := -1, clauseSimilarity
	for j, n := range new {
		if claimed[j] {
			continue
		}
		if s := similarity(c.Text, n.Text); s >= bestSim {
			best, bestSim = j, s
		}
	}
	return best
}

// ComposeLinks carries links from version A→B through B→C to A→C.
func ComposeLinks(ab, bc []ClauseLink) []ClauseLink {
	next := map[int]ClauseLink{}
	for _, l := range bc {
		next[l.From] = l
	}
	out := make([]ClauseLink, len(ab))
	for i, l := range ab {
		out[i] = ClauseLink{From: l.From, Status: ClauseRemoved}
		if l.Status == ClauseRemoved {
			continue
		}
		n, ok := next[l.To]
		if !ok || n.Status == ClauseRemoved {
			continue
		}
		status := ClauseChanged
		if l.Status == ClauseUnchanged && n.Status == ClauseUnchanged {
			status = ClauseUnchanged
		}
		out[i] = ClauseLink{From: l.From, To: n.To, Status: status}
	}
	return out
}
