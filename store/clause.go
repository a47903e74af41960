package store

import (
	"context"
	"fmt"

	"decisionflow/procedure"
	"decisionflow/textsim"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type draftClause struct {
	Decision     string `gorm:"primaryKey"`
	DraftVersion int    `gorm:"primaryKey;autoIncrement:false"`
	Number       int    `gorm:"primaryKey;autoIncrement:false"`
	Heading      string
	Body         string
	Sha256       string
}

type clauseLink struct {
	Decision    string `gorm:"primaryKey"`
	FromVersion int    `gorm:"primaryKey;autoIncrement:false"`
	FromClause  int    `gorm:"primaryKey;autoIncrement:false"`
	ToVersion   int    `gorm:"primaryKey;autoIncrement:false"`
	ToClause    int
	Status      string
}

// Clauses returns a draft version's clauses; none if it was not split.
func (s *Store) Clauses(ctx context.Context, decision string, version int) ([]procedure.Clause, error) {
	var rows []draftClause
	if err := s.db.WithContext(ctx).Where("decision = ? AND draft_version = ?", decision, version).Order("number").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read clauses of %s v%d: %w", decision, version, err)
	}
	out := make([]procedure.Clause, len(rows))
	for i, r := range rows {
		out[i] = procedure.Clause{Number: r.Number, Heading: r.Heading, Text: r.Body, SHA256: r.Sha256}
	}
	return out, nil
}

// PreviousClauses returns the clauses of the latest version before version that has them,
// and that version; 0 and none when there is none.
func (s *Store) PreviousClauses(ctx context.Context, decision string, version int) (int, []procedure.Clause, error) {
	var prev int
	err := s.db.WithContext(ctx).Model(&draftClause{}).Select("COALESCE(MAX(draft_version), 0)").
		Where("decision = ? AND draft_version < ?", decision, version).Scan(&prev).Error
	if err != nil || prev == 0 {
		return 0, nil, err
	}
	cl, err := s.Clauses(ctx, decision, prev)
	return prev, cl, err
}

// SaveClauses keeps a version's clauses and carries every earlier version's clauses to it:
// the diff from the previous version with clauses, composed with the links each earlier
// version already has to that one. Saving a version twice keeps the first.
func (s *Store) SaveClauses(ctx context.Context, decision string, version int, clauses []procedure.Clause) (procedure.ClauseDiff, error) {
	prev, old, err := s.PreviousClauses(ctx, decision, version)
	if err != nil {
		return procedure.ClauseDiff{}, err
	}
	diff := procedure.DiffClauses(old, clauses, textsim.Similarity)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&draftClause{}).Where("decision = ? AND draft_version = ?", decision, version).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		rows := make([]draftClause, len(clauses))
		for i, c := range clauses {
			rows[i] = draftClause{Decision: decision, DraftVersion: version, Number: c.Number, Heading: c.Heading, Body: c.Text, Sha256: c.SHA256}
		}
		if len(rows) > 0 {
			if err := tx.CreateInBatches(rows, 500).Error; err != nil {
				return fmt.Errorf("save clauses: %w", err)
			}
		}
		if prev == 0 {
			return nil
		}
		links := linkRows(decision, prev, version, diff.Links)
		var earlier []clauseLink
		if err := tx.Where("decision = ? AND to_version = ?", decision, prev).Order("from_version, from_clause").Find(&earlier).Error; err != nil {
			return err
		}
		byVersion := map[int][]procedure.ClauseLink{}
		var versions []int
		for _, l := range earlier {
			if _, ok := byVersion[l.FromVersion]; !ok {
				versions = append(versions, l.FromVersion)
			}
			byVersion[l.FromVersion] = append(byVersion[l.FromVersion], procedure.ClauseLink{From: l.FromClause, To: l.ToClause, Status: l.Status})
		}
		for _, v := range versions {
			links = append(links, linkRows(decision, v, version, procedure.ComposeLinks(byVersion[v], diff.Links))...)
		}
		return tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(links, 500).Error
	})
	return diff, err
}

func linkRows(decision string, from, to int, links []procedure.ClauseLink) []clauseLink {
	out := make([]clauseLink, len(links))
	for i, l := range links {
		out[i] = clauseLink{Decision: decision, FromVersion: from, FromClause: l.From, ToVersion: to, ToClause: l.To, Status: l.Status}
	}
	return out
}

// latestClauseVersion is the decision's latest draft version with clauses; 0 if none.
func (s *Store) latestClauseVersion(ctx context.Context, decision string) (int, error) {
	var v int
	err := s.db.WithContext(ctx).Model(&draftClause{}).Select("COALESCE(MAX(draft_version), 0)").Where("decision = ?", decision).Scan(&v).Error
	return v, err
}

// clauseHeadings maps a version's clause numbers to their headings.
func (s *Store) clauseHeadings(ctx context.Context, decision string, version int) (map[int]string, error) {
	cl, err := s.Clauses(ctx, decision, version)
	out := make(map[int]string, len(cl))
	for _, c := range cl {
		out[c.Number] = c.Heading
	}
	return out, err
}
