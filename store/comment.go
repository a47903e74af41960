package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"decisionflow/procedure"

	"gorm.io/gorm"
)

// CommentFilter selects a round's comments for officials.
type CommentFilter struct {
	// Query is searched in the text: Chinese by character pairs, other words whole.
	Query string
	// Clause selects one clause; 0 selects all, -1 comments on the whole draft.
	Clause int
	// Cluster selects one cluster.
	Cluster int64
	// Disposition selects one disposition, or "none" for comments not yet disposed of.
	Disposition string
	// After is the last ID of the previous page.
	After int64
	// Limit is the page size, 1 to 500.
	Limit int
}

// commentRow is a comment with its cluster, effective disposition and clause status.
type commentRow struct {
	ID           int64
	WorkflowID   string
	Receipt      string
	Clause       int
	Body         string
	Contact      string
	Publish      bool
	Attachments  string
	ReceivedAt   time.Time
	Cluster      sql.NullInt64
	Disposition  string
	Reason       string
	ByCluster    bool
	ToClause     sql.NullInt64
	ClauseStatus sql.NullString
}

func (r commentRow) domain() procedure.CommentView {
	v := procedure.CommentView{Comment: procedure.Comment{ID: r.ID, WorkflowID: r.WorkflowID, Receipt: r.Receipt, Clause: r.Clause,
		Text: r.Body, Contact: r.Contact, Publish: r.Publish, ReceivedAt: r.ReceivedAt.UTC()},
		Decision: decisionOf(r.WorkflowID), Round: roundOf(r.WorkflowID), Cluster: r.Cluster.Int64, Disposition: procedure.Disposition(r.Disposition), Reason: r.Reason, ByCluster: r.ByCluster}
	if r.Attachments != "" {
		v.Attachments = strings.Split(r.Attachments, ",")
	}
	if r.ClauseStatus.Valid {
		v.ClauseNow = &procedure.ClauseLink{From: r.Clause, To: int(r.ToClause.Int64), Status: r.ClauseStatus.String}
	}
	return v
}

// commentSelect is the comments of a round joined with their cluster, dispositions and the
// clause link to the latest draft version with clauses.
const commentSelect = `c.id, c.workflow_id, c.receipt, c.clause, c.body, c.contact, c.publish, c.attachments, c.received_at,
	tc.cluster, COALESCE(d.disposition, cd.disposition, '') AS disposition, COALESCE(d.reason, cd.reason, '') AS reason,
	(d.comment_id IS NULL AND cd.cluster_id IS NOT NULL) AS by_cluster, cl.to_clause, cl.status AS clause_status`

func (s *Store) commentQuery(ctx context.Context, workflowID string) (*gorm.DB, error) {
	c, err := s.Consultation(ctx, workflowID)
	if err != nil {
		return nil, err
	}
	latest, err := s.latestClauseVersion(ctx, c.Decision)
	if err != nil {
		return nil, err
	}
	return s.db.WithContext(ctx).Table("comments c").
		Joins("LEFT JOIN text_clusters tc ON tc.workflow_id = c.workflow_id AND tc.text_hash = c.text_hash").
		Joins("LEFT JOIN comment_dispositions d ON d.comment_id = c.id").
		Joins("LEFT JOIN cluster_dispositions cd ON cd.cluster_id = tc.cluster").
		Joins("LEFT JOIN clause_links cl ON cl.decision = ? AND cl.from_version = ? AND cl.from_clause = c.clause AND cl.to_version = ?",
			c.Decision, c.DraftVersion, latest).
		Where("c.workflow_id = ?", workflowID), nil
}

// Comments returns a page of a round's comments in the order received. A search first
// indexes what the indexer has not reached yet, for up to searchCatchUp; comments beyond that
// are found once the indexer reaches them (see UnindexedComments).
func (s *Store) Comments(ctx context.Context, workflowID string, f CommentFilter) ([]procedure.CommentView, error) {
	if len(procedure.SearchTerms(f.Query)) > 0 {
		if err := s.indexPending(ctx, searchCatchUp); err != nil {
			return nil, err
		}
	}
	q, err := s.commentQuery(ctx, workflowID)
	if err != nil {
		return nil, err
	}
	matches, few, err := s.fewMatches(ctx, workflowID, f)
	if err != nil {
		return nil, err
	}
	if few {
		if len(matches) == 0 {
			return []procedure.CommentView{}, nil
		}
		q = q.Where("c.id IN ?", matches)
		f.Query = "" // the matches stand for the search
	}
	q = s.filterComments(q, f).Select(commentSelect).Where("c.id > ?", f.After).Order("c.id").Limit(min(max(f.Limit, 1), 500))
	var rows []commentRow
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list comments of %s: %w", workflowID, err)
	}
	out := make([]procedure.CommentView, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// fewMatchesAt is the most matches a search takes for few: a search that matches more is
// answered by reading the round in order (the first page is then near the start).
const fewMatchesAt = 5000

// fewMatches finds, from the search index alone, every comment of the round after f.After
// that a text search matches, when they are at most fewMatchesAt. Postgres cannot tell a
// rare search from a common one before running it: reading the round in order and testing
// each comment finds a common word's first page at once but reads most of a million comments
// for a rare one, while the index finds a rare word's few at once but must sort a common
// word's hundreds of thousands. Asking the index for at most fewMatchesAt+1 decides which.
func (s *Store) fewMatches(ctx context.Context, workflowID string, f CommentFilter) ([]int64, bool, error) {
	terms := procedure.SearchTerms(f.Query)
	if s.dialect != Postgres || len(terms) == 0 {
		return nil, false, nil
	}
	var ids []int64
	err := s.db.WithContext(ctx).Raw(`SELECT comment_id FROM comment_search
		WHERE workflow_id = ? AND comment_id > ? AND search @@ to_tsquery('simple', ?) LIMIT ?`,
		workflowID, f.After, tsQuery(terms), fewMatchesAt+1).Scan(&ids).Error
	if err != nil {
		return nil, false, fmt.Errorf("search comments of %s: %w", workflowID, err)
	}
	if len(ids) > fewMatchesAt {
		return nil, false, nil
	}
	return ids, true, nil
}

func (s *Store) filterComments(q *gorm.DB, f CommentFilter) *gorm.DB {
	if terms := procedure.SearchTerms(f.Query); len(terms) > 0 {
		if s.dialect == Postgres {
			q = q.Joins("JOIN comment_search s ON s.comment_id = c.id").Where("s.search @@ to_tsquery('simple', ?)", tsQuery(terms))
		} else {
			q = q.Where("c.body LIKE ? ESCAPE '\\'", "%"+likeEscape(f.Query)+"%")
		}
	}
	switch {
	case f.Clause > 0:
		q = q.Where("c.clause = ?", f.Clause)
	case f.Clause < 0:
		q = q.Where("c.clause = 0")
	}
	if f.Cluster > 0 {
		q = q.Where("tc.cluster = ?", f.Cluster)
	}
	switch f.Disposition {
	case "":
	case "none":
		q = q.Where("d.comment_id IS NULL AND cd.cluster_id IS NULL")
	default:
		q = q.Where("COALESCE(d.disposition, cd.disposition) = ?", f.Disposition)
	}
	return q
}

// tsQuery ANDs the terms; a single Han character matches as a prefix of the pairs it starts.
// Terms hold only letters, digits and Han, so they need no quoting.
func tsQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t
		if len([]rune(t)) == 1 {
			parts[i] += ":*"
		}
	}
	return strings.Join(parts, " & ")
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// searchCatchUp bounds how long a search spends indexing before it reads.
const searchCatchUp = 2 * time.Second

// EachComment streams every comment of a round matching f, in the order received, to fn. A
// filtered export waits until every comment is indexed, so it leaves none out.
func (s *Store) EachComment(ctx context.Context, workflowID string, f CommentFilter, fn func(procedure.CommentView) error) error {
	if len(procedure.SearchTerms(f.Query)) > 0 {
		if err := s.indexPending(ctx, 0); err != nil {
			return err
		}
	}
	q, err := s.commentQuery(ctx, workflowID)
	if err != nil {
		return err
	}
	rows, err := s.filterComments(q, f).Select(commentSelect).Order("c.id").Rows()
	if err != nil {
		return fmt.Errorf("export comments of %s: %w", workflowID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r commentRow
		if err := rows.Scan(&r.ID, &r.WorkflowID, &r.Receipt, &r.Clause, &r.Body, &r.Contact, &r.Publish, &r.Attachments, &r.ReceivedAt,
			&r.Cluster, &r.Disposition, &r.Reason, &r.ByCluster, &r.ToClause, &r.ClauseStatus); err != nil {
			return fmt.Errorf("export comments of %s: %w", workflowID, err)
		}
		if err := fn(r.domain()); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CommentByReceipt returns the comment a receipt was given for, with its disposition, or
// ENotFound.
func (s *Store) CommentByReceipt(ctx context.Context, receipt string) (procedure.CommentView, error) {
	var wfs []string
	if err := s.db.WithContext(ctx).Table("comments").Where("receipt = ?", receipt).Limit(1).Pluck("workflow_id", &wfs).Error; err != nil {
		return procedure.CommentView{}, fmt.Errorf("look up receipt: %w", err)
	}
	if len(wfs) == 0 {
		return procedure.CommentView{}, procedure.Errorf(procedure.ENotFound, "回执号 %s 不存在", "receipt %s not found", receipt)
	}
	q, err := s.commentQuery(ctx, wfs[0])
	if err != nil {
		return procedure.CommentView{}, err
	}
	var rows []commentRow
	if err := q.Select(commentSelect).Where("c.receipt = ?", receipt).Scan(&rows).Error; err != nil || len(rows) == 0 {
		return procedure.CommentView{}, fmt.Errorf("read receipt %s: %v", receipt, err)
	}
	return rows[0].domain(), nil
}

// DayCount is how many comments a round received on one day (Beijing time).
type DayCount struct {
	// Day is YYYY-MM-DD in Beijing.
	Day string `json:"day"`
	// Comments is the number received that day.
	Comments int64 `json:"comments"`
}

// CommentsPerDay counts a round's comments by the day they were received, in Beijing.
func (s *Store) CommentsPerDay(ctx context.Context, workflowID string) ([]DayCount, error) {
	day := "to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')"
	if s.dialect == SQLite {
		day = "date(received_at, '+8 hours')"
	}
	var out []DayCount
	err := s.db.WithContext(ctx).Table("comments").Select(day+" AS day, count(*) AS comments").
		Where("workflow_id = ?", workflowID).Group("day").Order("day").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("count comments by day: %w", err)
	}
	for i := range out {
		if len(out[i].Day) > 10 { // the SQLite driver reads a date as a timestamp
			out[i].Day = out[i].Day[:10]
		}
	}
	return out, nil
}
