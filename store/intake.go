package store

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"decisionflow/procedure"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/sync/singleflight"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IntakeOptions tunes the comment intake.
type IntakeOptions struct {
	// QueueSize bounds the comments waiting to be written; beyond it Submit refuses at once.
	// Zero means 20,000.
	QueueSize int
	// BatchSize is the most comments one transaction writes. Zero means 1,000.
	BatchSize int
	// Writers is the number of concurrent writing transactions. Zero means 2 on Postgres
	// (one commits while the next batch fills) and 1 on SQLite (one writer is all it has).
	Writers int
}

// Intake writes public comments in group-committed batches. Submit returns only once the
// comment's transaction has committed, so an acknowledged comment is durable; when the queue
// is full it refuses at once (EResourceExhausted) rather than queueing without bound.
type Intake struct {
	s       *Store
	opts    IntakeOptions
	queue   chan *pendingComment
	mu      sync.RWMutex
	closed  bool
	wg      sync.WaitGroup
	windows sync.Map // decision number → *window
	// refresh lets one request re-read a stale consultation while the others wait for it:
	// under a flood every request finds the cache stale at the same moment.
	refresh singleflight.Group
	stats   IntakeStats
	// The search indexer runs beside the writers on Postgres.
	indexer   sync.WaitGroup
	stopIndex chan struct{}
	lastBatch atomic.Int64 // UnixNano of the last batch committed
	stopOnce  sync.Once
}

// IntakeStats counts what the intake did since it started.
type IntakeStats struct {
	// Accepted counts comments written.
	Accepted atomic.Int64
	// Duplicates counts resubmissions answered with their first receipt.
	Duplicates atomic.Int64
	// Refused counts comments refused because the queue was full.
	Refused atomic.Int64
	// Batches counts committed batches.
	Batches atomic.Int64
}

type pendingComment struct {
	c    procedure.Comment
	done chan intakeResult
}

type intakeResult struct {
	receipt procedure.Receipt
	err     error
}

// window is a cached consultation, refreshed at most once a second.
type window struct {
	c       procedure.Consultation
	salt    string
	clauses int // clauses of the draft consulted on; 0 when it was not split
	fetched time.Time
}

// windowTTL is how long a cached consultation is trusted. A period is never shortened, and a
// comment the cache would refuse as late is checked again against the database, so a stale
// entry can only delay a refusal that the sealed check in the batch still makes.
const windowTTL = time.Second

// StartIntake starts the writers; Close stops them after the queue drains.
func (s *Store) StartIntake(opts IntakeOptions) *Intake {
	if opts.QueueSize <= 0 {
		opts.QueueSize = 20000
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if opts.Writers <= 0 {
		opts.Writers = 2
		if s.dialect == SQLite {
			opts.Writers = 1
		}
	}
	in := &Intake{s: s, opts: opts, queue: make(chan *pendingComment, opts.QueueSize), stopIndex: make(chan struct{})}
	for range opts.Writers {
		in.wg.Add(1)
		go in.run()
	}
	if s.dialect == Postgres {
		// Two indexers once a flood has passed: while one's batch is in Postgres the other
		// builds its terms, so catching up uses both halves of the work at once.
		in.indexer.Add(2)
		go in.index(true)
		go in.index(false)
	}
	return in
}

// index keeps the search index behind the intake until Close. While comments are pouring
// in the lead indexer indexes one batch a tick, leaving the machine to the intake; once the
// flood passes both catch up at full speed, and the lead then merges the index's pending
// list into its tree. A search indexes whatever is still pending before it reads.
func (in *Intake) index(lead bool) {
	defer in.indexer.Done()
	behind := false
	for {
		busy := time.Since(time.Unix(0, in.lastBatch.Load())) < time.Second
		limit := 20
		if busy {
			limit = 1
		}
		var n int
		var err error
		if lead || !busy {
			n, err = in.s.IndexComments(context.Background(), limit)
		}
		if err != nil {
			in.s.logError("indexing comments failed", err)
		}
		if n > 0 && err == nil {
			behind = true
			if !busy {
				continue
			}
		}
		if lead && behind && n == 0 && err == nil {
			behind = false
			if err := in.s.mergePendingIndex(context.Background()); err != nil {
				in.s.logError("merging the search index's pending list failed", err)
			}
		}
		select {
		case <-in.stopIndex:
			return
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Stats returns the intake's counters.
func (in *Intake) Stats() *IntakeStats { return &in.stats }

// QueueLength is the number of comments waiting to be written.
func (in *Intake) QueueLength() int { return len(in.queue) }

// Close refuses new comments, writes every queued one and waits for the writers.
func (in *Intake) Close() {
	in.mu.Lock()
	if !in.closed {
		in.closed = true
		close(in.queue)
	}
	in.mu.Unlock()
	in.wg.Wait()
	in.stopOnce.Do(func() { close(in.stopIndex) })
	in.indexer.Wait()
}

// Consultation returns the decision's latest round from the cache or the store.
func (in *Intake) Consultation(ctx context.Context, decision string) (procedure.Consultation, error) {
	w, err := in.window(ctx, decision, false)
	if err != nil {
		return procedure.Consultation{}, err
	}
	return w.c, nil
}

func (in *Intake) window(ctx context.Context, decision string, fresh bool) (*window, error) {
	if v, ok := in.windows.Load(decision); ok && !fresh && time.Since(v.(*window).fetched) < windowTTL {
		return v.(*window), nil
	}
	key := decision
	if fresh {
		key = "fresh:" + decision // a read that must not be older than its request waits for its own
	}
	v, err, _ := in.refresh.Do(key, func() (any, error) {
		// Shared by every waiting request: the first one going away does not fail the others.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return in.readWindow(ctx, decision)
	})
	if err != nil {
		return nil, err
	}
	return v.(*window), nil
}

// readWindow reads a decision's latest round and its clause count, and caches them.
func (in *Intake) readWindow(ctx context.Context, decision string) (*window, error) {
	var row consultationRow
	err := in.s.consultationQuery(ctx).Where("c.decision = ?", decision).Order("c.round DESC").Take(&row).Error
	if err != nil {
		return nil, translate(err, "该决策事项的征求意见", "consultation of this decision")
	}
	w := &window{c: row.domain(), salt: row.Row.Salt, fetched: time.Now()}
	var n int64
	if err := in.s.db.WithContext(ctx).Model(&draftClause{}).Where("decision = ? AND draft_version = ?", decision, w.c.DraftVersion).
		Count(&n).Error; err != nil {
		return nil, fmt.Errorf("count clauses of %s: %w", decision, err)
	}
	w.clauses = int(n)
	in.windows.Store(decision, w)
	return w, nil
}

// Submit takes a comment on the decision's current round. It fills in the round, receipt,
// time and client hash, and returns the receipt once the comment is committed. A comment
// whose Idempotency-Key was seen before gets the first receipt back and is not stored again.
func (in *Intake) Submit(ctx context.Context, decision, client string, c procedure.Comment) (procedure.Receipt, error) {
	w, err := in.window(ctx, decision, false)
	if err != nil {
		return procedure.Receipt{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	if err := w.c.CheckOpen(now); err != nil {
		if w, err = in.window(ctx, decision, true); err != nil {
			return procedure.Receipt{}, err
		}
		if err := w.c.CheckOpen(now); err != nil {
			return procedure.Receipt{}, err
		}
	}
	if w.clauses > 0 && c.Clause > w.clauses {
		return procedure.Receipt{}, procedure.Errorf(procedure.EInvalid, "草案共 %d 条，没有第 %d 条", "the draft has %d clauses, not %d",
			w.clauses, c.Clause)
	}
	// A resubmitted Idempotency-Key is found by the batch's insert, not by a look-up here:
	// under load a query per comment would cost more than the write itself.
	c.WorkflowID, c.ReceivedAt, c.Receipt, c.Client = w.c.WorkflowID, now, newReceipt(), clientHash(w.salt, client)
	p := &pendingComment{c: c, done: make(chan intakeResult, 1)}
	if !in.enqueue(p) {
		in.stats.Refused.Add(1)
		return procedure.Receipt{}, procedure.Errorf(procedure.EResourceExhausted,
			"意见提交繁忙，未予保存，请稍后重试", "the intake is at capacity; the comment was not kept, please retry shortly")
	}
	select {
	case res := <-p.done:
		return res.receipt, res.err
	case <-ctx.Done():
		return procedure.Receipt{}, procedure.Errorf(procedure.EUnavailable, "请求已取消", "request cancelled: %v", ctx.Err())
	}
}

func (in *Intake) enqueue(p *pendingComment) bool {
	in.mu.RLock()
	defer in.mu.RUnlock()
	if in.closed {
		return false
	}
	select {
	case in.queue <- p:
		return true
	default:
		return false
	}
}

// run writes batches: it blocks for the first comment, then takes whatever else is queued
// up to the batch size. Under load batches fill while the previous one commits; when idle a
// comment is written alone at once.
func (in *Intake) run() {
	defer in.wg.Done()
	batch := make([]*pendingComment, 0, in.opts.BatchSize)
	for p := range in.queue {
		batch = append(batch[:0], p)
	fill:
		for len(batch) < in.opts.BatchSize {
			select {
			case q, ok := <-in.queue:
				if !ok {
					break fill
				}
				batch = append(batch, q)
			default:
				break fill
			}
		}
		in.write(batch)
	}
}

// write commits one batch, retrying a failed transaction twice, and answers every comment.
func (in *Intake) write(batch []*pendingComment) {
	var results []intakeResult
	var err error
	for attempt := range 3 {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		results, err = in.s.writeComments(ctx, batch)
		cancel()
		if err == nil {
			break
		}
	}
	if err != nil {
		in.s.logError("comment batch failed", err)
		err = procedure.Errorf(procedure.EUnavailable, "意见未能保存，请稍后重试", "the comment could not be stored; please retry: %v", err)
		for _, p := range batch {
			p.done <- intakeResult{err: err}
		}
		return
	}
	in.stats.Batches.Add(1)
	in.lastBatch.Store(time.Now().UnixNano())
	for i, p := range batch {
		switch {
		case results[i].err != nil:
		case results[i].receipt.Duplicate:
			in.stats.Duplicates.Add(1)
		default:
			in.stats.Accepted.Add(1)
		}
		p.done <- results[i]
	}
}

// writeComments writes a batch in one transaction: per round, it checks the round is not
// sealed, records a batch, inserts the comments, and appends the batch's digest to the ledger.
func (s *Store) writeComments(ctx context.Context, batch []*pendingComment) ([]intakeResult, error) {
	results := make([]intakeResult, len(batch))
	byRound := map[string][]int{}
	var rounds []string
	for i, p := range batch {
		if _, ok := byRound[p.c.WorkflowID]; !ok {
			rounds = append(rounds, p.c.WorkflowID)
		}
		byRound[p.c.WorkflowID] = append(byRound[p.c.WorkflowID], i)
	}
	write := func(tx *gorm.DB, copier copyFunc) error {
		for _, wf := range rounds {
			if err := s.writeRound(tx, copier, wf, batch, byRound[wf], results); err != nil {
				return err
			}
		}
		return nil
	}
	if s.dialect != Postgres {
		return results, s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return write(tx, nil) })
	}
	return results, s.copyTransaction(ctx, write)
}

// copyFunc COPYs rows into a table within the transaction.
type copyFunc func(ctx context.Context, table string, columns []string, rows [][]any) (int64, error)

// copyTransaction runs f in a transaction on one Postgres connection, giving it both a GORM
// handle and COPY on that connection: COPY costs Postgres a fraction of what a multi-row
// INSERT of the same rows does, and the flood is what the intake is for.
func (s *Store) copyTransaction(ctx context.Context, f func(tx *gorm.DB, copier copyFunc) error) error {
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := s.db.WithContext(ctx).Session(&gorm.Session{})
	tx.Statement.ConnPool = sqlTx
	copier := func(ctx context.Context, table string, columns []string, rows [][]any) (int64, error) {
		var n int64
		err := conn.Raw(func(dc any) error {
			var err error
			n, err = dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
			return err
		})
		return n, err
	}
	if err := f(tx, copier); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	return sqlTx.Commit()
}

// writeRound writes one round's share of a batch: comments, their receipts and the batch's
// digest in the ledger, or, once the round is sealed, the late answers.
func (s *Store) writeRound(tx *gorm.DB, copier copyFunc, workflowID string, batch []*pendingComment, idx []int, results []intakeResult) error {
	row, err := s.lockRound(tx, workflowID)
	if err != nil {
		return err
	}
	if row.SealedAt != nil {
		return answerSealed(tx, row, workflowID, batch, idx, results)
	}
	now := time.Now().UTC()
	batchID, err := openBatch(tx, workflowID, now)
	if err != nil {
		return err
	}
	var inserted map[string]int64
	if copier != nil {
		inserted, err = copyComments(tx, copier, batchID, batch, idx, results)
	} else {
		inserted, err = s.insertComments(tx, batchID, batch, idx)
	}
	if err != nil {
		return err
	}
	ordered := acknowledge(row, batchID, batch, idx, inserted, results)
	if err := s.answerDuplicates(tx, workflowID, batch, idx, inserted, results); err != nil {
		return err
	}
	return s.closeBatch(tx, row, workflowID, batchID, ordered, now)
}

// lockRound reads a round's consultation, locked against the seal where the database can.
func (s *Store) lockRound(tx *gorm.DB, workflowID string) (consultation, error) {
	var row consultation
	q := tx
	if s.dialect == Postgres {
		// The seal takes the row FOR UPDATE: a batch either commits before the count or waits
		// and then sees the seal.
		q = q.Clauses(clause.Locking{Strength: "SHARE"})
	}
	if err := q.Where("workflow_id = ?", workflowID).Take(&row).Error; err != nil {
		return row, fmt.Errorf("read consultation %s: %w", workflowID, err)
	}
	return row, nil
}

// answerSealed answers a batch that reached a sealed round: late, but for retries of comments
// stored before the close, which get their receipts.
func answerSealed(tx *gorm.DB, row consultation, workflowID string, batch []*pendingComment, idx []int, results []intakeResult) error {
	var n procedure.Notice
	_ = json.Unmarshal([]byte(row.Notice), &n)
	late := procedure.Consultation{Notice: n, Sealed: true}.CheckOpen(time.Now())
	for _, i := range idx {
		r, ok, err := receiptByKey(tx, workflowID, batch[i].c.IdempotencyKey)
		if err != nil {
			return err
		}
		results[i] = intakeResult{receipt: r, err: late}
		if ok && batch[i].c.IdempotencyKey != "" {
			results[i].err = nil
		}
	}
	return nil
}

// openBatch opens a comment batch of a round and returns its ID.
func openBatch(tx *gorm.DB, workflowID string, at time.Time) (int64, error) {
	b := struct {
		ID         int64 `gorm:"primaryKey"`
		WorkflowID string
		At         time.Time
	}{WorkflowID: workflowID, At: at}
	if err := tx.Table("comment_batches").Create(&b).Error; err != nil {
		return 0, fmt.Errorf("open comment batch: %w", err)
	}
	return b.ID, nil
}

// leaf is a stored comment's ledger leaf and its row.
type leaf struct {
	hash [32]byte
	row  storedComment
}

// acknowledge gives every inserted comment its receipt and returns their leaves in row order.
func acknowledge(row consultation, batchID int64, batch []*pendingComment, idx []int, inserted map[string]int64, results []intakeResult) []leaf {
	ordered := make([]leaf, 0, len(inserted))
	for _, i := range idx {
		c := batch[i].c
		id, ok := inserted[c.Receipt]
		if !ok {
			continue
		}
		ordered = append(ordered, leaf{procedure.CommentLeaf(c), storedCommentOf(c, id, batchID)})
		results[i] = intakeResult{receipt: procedure.Receipt{Receipt: c.Receipt, Decision: row.Decision, Round: row.Round, ReceivedAt: c.ReceivedAt}}
	}
	slices.SortFunc(ordered, func(a, b leaf) int { return cmp.Compare(a.row.ID, b.row.ID) })
	return ordered
}

// closeBatch stores the batch's count and digest and, if it holds any comment, appends its
// record to the ledger, covering the comments as written here: the rows are the comments at
// hand, so the record needs no reading back.
func (s *Store) closeBatch(tx *gorm.DB, row consultation, workflowID string, batchID int64, ordered []leaf, now time.Time) error {
	leaves := make([][32]byte, len(ordered))
	rows := make([]storedComment, len(ordered))
	for i, l := range ordered {
		leaves[i], rows[i] = l.hash, l.row
	}
	digest := procedure.BatchDigest(leaves)
	closed := map[string]any{"count": len(leaves), "digest": digest}
	if len(rows) > 0 {
		closed["first_id"], closed["last_id"] = rows[0].ID, rows[len(rows)-1].ID
	}
	if err := tx.Table("comment_batches").Where("id = ?", batchID).Updates(closed).Error; err != nil {
		return fmt.Errorf("close comment batch: %w", err)
	}
	if len(leaves) == 0 {
		return nil
	}
	entry := map[string]any{"decision": row.Decision, "kind": "comment_batch", "workflow": workflowID, "batch": batchID,
		"count": len(leaves), "first": rows[0].ID, "last": rows[len(rows)-1].ID, "digest": digest, "at": now}
	salt := coverComments(entry, rows)
	return s.appendRecord(tx, row.Decision, "comment_batch", entry, salt, now)
}

// commentColumns are the columns the intake writes, in order.
var commentColumns = []string{"workflow_id", "receipt", "idempotency_key", "clause", "body", "contact", "publish",
	"client", "attachments", "text_hash", "batch", "received_at"}

// insertChunk keeps a statement's parameters under both databases' limits.
const insertChunk = 1000

// insertComments inserts the comments at idx with multi-row INSERTs, skipping resubmissions
// of a known Idempotency-Key, and returns the IDs of the rows inserted by receipt.
func (s *Store) insertComments(tx *gorm.DB, batchID int64, batch []*pendingComment, idx []int) (map[string]int64, error) {
	inserted := make(map[string]int64, len(idx))
	for start := 0; start < len(idx); start += insertChunk {
		part := idx[start:min(start+insertChunk, len(idx))]
		query, args := s.insertStatement(batchID, batch, part)
		rows, err := tx.Statement.ConnPool.QueryContext(tx.Statement.Context, query, args...)
		if err != nil {
			return nil, fmt.Errorf("insert comments: %w", err)
		}
		for rows.Next() {
			var id int64
			var receipt string
			if err := rows.Scan(&id, &receipt); err != nil {
				rows.Close()
				return nil, fmt.Errorf("insert comments: %w", err)
			}
			inserted[receipt] = id
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("insert comments: %w", err)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("insert comments: %w", err)
		}
	}
	return inserted, nil
}

func (s *Store) insertStatement(batchID int64, batch []*pendingComment, idx []int) (string, []any) {
	var sb strings.Builder
	sb.WriteString("INSERT INTO comments (" + strings.Join(commentColumns, ", ") + ") VALUES ")
	args := make([]any, 0, len(idx)*len(commentColumns))
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(commentColumns)), ", ") + ")"
	for k, i := range idx {
		c := batch[i].c
		if k > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(row)
		args = append(args, commentValues(c, batchID)...)
	}
	sb.WriteString(" ON CONFLICT (workflow_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id, receipt")
	return sb.String(), args
}

// commentValues are a comment's values in the order of commentColumns.
func commentValues(c procedure.Comment, batchID int64) []any {
	var key any
	if c.IdempotencyKey != "" {
		key = c.IdempotencyKey
	}
	return []any{c.WorkflowID, c.Receipt, key, c.Clause, c.Text, c.Contact, c.Publish, c.Client,
		strings.Join(c.Attachments, ","), procedure.TextHash(c.Text), batchID, c.ReceivedAt}
}

// copyComments writes the comments at idx with COPY. COPY has no ON CONFLICT, so keys
// already stored are answered first with their receipts, and a key repeated within the batch
// is written once; a key racing in from another writer's batch makes the unique index fail
// this transaction, and the retry answers it as a resubmission.
func copyComments(tx *gorm.DB, copier copyFunc, batchID int64, batch []*pendingComment, idx []int, results []intakeResult) (map[string]int64, error) {
	fresh, err := skipKnownKeys(tx, batch, idx, results)
	if err != nil {
		return nil, err
	}
	inserted := make(map[string]int64, len(fresh))
	if len(fresh) == 0 {
		return inserted, nil
	}
	var ids []int64
	if err := tx.Raw("SELECT nextval('comments_id_seq') FROM generate_series(1, ?)", len(fresh)).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("allocate comment ids: %w", err)
	}
	slices.Sort(ids)
	rows := make([][]any, len(fresh))
	for k, i := range fresh {
		c := batch[i].c
		rows[k] = append([]any{ids[k]}, commentValues(c, batchID)...)
		inserted[c.Receipt] = ids[k]
	}
	cols := append([]string{"id"}, commentColumns...)
	if _, err := copier(tx.Statement.Context, "comments", cols, rows); err != nil {
		return nil, fmt.Errorf("copy comments: %w", err)
	}
	return inserted, nil
}

// skipKnownKeys answers comments whose key is stored, or repeated earlier in the batch, and
// returns the rest.
func skipKnownKeys(tx *gorm.DB, batch []*pendingComment, idx []int, results []intakeResult) ([]int, error) {
	var keys []string
	for _, i := range idx {
		if k := batch[i].c.IdempotencyKey; k != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return idx, nil
	}
	workflowID := batch[idx[0]].c.WorkflowID
	var known []struct {
		IdempotencyKey string
		Receipt        string
		ReceivedAt     time.Time
	}
	if err := tx.Table("comments").Select("idempotency_key, receipt, received_at").
		Where("workflow_id = ? AND idempotency_key IN ?", workflowID, keys).Scan(&known).Error; err != nil {
		return nil, fmt.Errorf("look up comment keys: %w", err)
	}
	first := make(map[string]procedure.Receipt, len(known))
	for _, k := range known {
		first[k.IdempotencyKey] = firstReceipt(workflowID, k.Receipt, k.ReceivedAt)
	}
	fresh := make([]int, 0, len(idx))
	for _, i := range idx {
		c := batch[i].c
		if r, ok := first[c.IdempotencyKey]; ok && c.IdempotencyKey != "" {
			results[i] = intakeResult{receipt: r}
			continue
		}
		if c.IdempotencyKey != "" {
			first[c.IdempotencyKey] = firstReceipt(workflowID, c.Receipt, c.ReceivedAt)
		}
		fresh = append(fresh, i)
	}
	return fresh, nil
}

// answerDuplicates answers comments whose Idempotency-Key was already stored with the first
// receipt.
func (s *Store) answerDuplicates(tx *gorm.DB, workflowID string, batch []*pendingComment, idx []int, inserted map[string]int64, results []intakeResult) error {
	for _, i := range idx {
		c := batch[i].c
		if _, ok := inserted[c.Receipt]; ok || results[i].receipt.Receipt != "" {
			continue
		}
		r, ok, err := receiptByKey(tx, workflowID, c.IdempotencyKey)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("comment %s neither inserted nor a resubmission", c.Receipt)
		}
		results[i] = intakeResult{receipt: r}
	}
	return nil
}

func receiptByKey(db *gorm.DB, workflowID, key string) (procedure.Receipt, bool, error) {
	if key == "" {
		return procedure.Receipt{}, false, nil
	}
	var rows []struct {
		Receipt    string
		ReceivedAt time.Time
	}
	if err := db.Table("comments").Select("receipt, received_at").
		Where("workflow_id = ? AND idempotency_key = ?", workflowID, key).Limit(1).Find(&rows).Error; err != nil {
		return procedure.Receipt{}, false, fmt.Errorf("look up comment by key: %w", err)
	}
	if len(rows) == 0 {
		return procedure.Receipt{}, false, nil
	}
	return firstReceipt(workflowID, rows[0].Receipt, rows[0].ReceivedAt), true, nil
}

// receiptAlphabet is Crockford's base32: no I, L, O or U to misread when a receipt is read
// out over the telephone.
var receiptAlphabet = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// newReceipt returns a receipt number such as YJ-7K3M-Q9XT-2ABC-D4EF: 80 random bits, so
// receipts cannot be guessed to read someone else's comment.
func newReceipt() string {
	raw := make([]byte, 10)
	_, _ = rand.Read(raw)
	s := receiptAlphabet.EncodeToString(raw)
	return "YJ-" + s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// clientHash keys the client's address with the round's salt: enough to see a flood from
// one source, not to recover the address once the salt is erased.
func clientHash(salt, client string) string {
	if client == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(salt))
	m.Write([]byte(client))
	return hex.EncodeToString(m.Sum(nil))[:16]
}
