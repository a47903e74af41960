package store

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"decisionflow/procedure"
)

type hearingRecord struct {
	record
	e HearingEntry
}

type selectionRecord struct {
	idx      int64
	selected map[string]bool
}

func (v *rowChecker) fileRegistration(r record) error {
	var e HearingEntry
	if err := decode(r, &e); err != nil {
		return err
	}
	v.registrants[e.ID] = hearingRecord{r, e}
	if v.firstRegID == 0 || e.ID < v.firstRegID {
		v.firstRegID = e.ID
	}
	return nil
}

func (v *rowChecker) fileSelection(r record) error {
	var e struct {
		Workflow string   `json:"workflow"`
		Hearing  int      `json:"hearing"`
		Selected []string `json:"selected"`
	}
	if err := decode(r, &e); err != nil {
		return err
	}
	sel := selectionRecord{idx: r.idx, selected: map[string]bool{}}
	for _, receipt := range e.Selected {
		sel.selected[receipt] = true
	}
	v.selections[fmt.Sprintf("%s#%d", e.Workflow, e.Hearing)] = sel
	return nil
}

// hearings checks each registration against its record, and its selection against the draw.
func (v *rowChecker) hearings() error {
	seen := map[int64]bool{}
	legacy := 0
	err := eachPage(v.db, "hearing_registrations", "id", func(h hearingRegistration) int64 { return h.ID }, func(page []hearingRegistration) error {
		for _, h := range page {
			v.out.Rows++
			seen[h.ID] = true
			key := itoa(h.ID)
			want, ok := v.registrants[h.ID]
			switch {
			case !ok && (v.firstRegID == 0 || h.ID < v.firstRegID):
				legacy++
				continue
			case !ok:
				v.mismatch("hearing_registrations", key, "row", Unledgered, -1)
				continue
			}
			e, idx := want.e, want.idx
			v.changed(h.WorkflowID == e.Workflow, "hearing_registrations", key, "workflow_id", idx)
			v.changed(h.Hearing == e.Hearing, "hearing_registrations", key, "hearing", idx)
			v.changed(h.Receipt == e.Receipt, "hearing_registrations", key, "receipt", idx)
			v.changed(want.salted(h.Name, e.NameHash), "hearing_registrations", key, "name", idx)
			v.changed(want.salted(h.Contact, e.ContactHash), "hearing_registrations", key, "contact", idx)
			v.changed(want.salted(h.Statement, e.StatementHash), "hearing_registrations", key, "statement", idx)
			v.changed(sameTime(h.At, e.At), "hearing_registrations", key, "at", idx)
			sel, drawn := v.selections[fmt.Sprintf("%s#%d", h.WorkflowID, h.Hearing)]
			if drawn {
				idx = sel.idx
			}
			v.changed(h.Selected == (drawn && sel.selected[h.Receipt]), "hearing_registrations", key, "selected", idx)
		}
		return nil
	})
	for id, want := range v.registrants {
		if !seen[id] {
			v.mismatch("hearing_registrations", itoa(id), "row", Missing, want.idx)
		}
	}
	if legacy > 0 {
		v.unverified("hearing_registrations: %d taken before the ledger recorded registrations", legacy)
	}
	return err
}

type dispositionRecord struct {
	record
	e DispositionEntry
}

func (v *rowChecker) fileDisposition(r record) error {
	var e DispositionEntry
	if err := decode(r, &e); err != nil {
		return err
	}
	if e.V < ledgerVersion {
		v.legacyRounds[e.Workflow] = true
		return nil
	}
	// A later disposition of the same comment or cluster replaces the earlier one.
	e.CommentIDs.each(func(id int64) { v.disposed[id] = dispositionRecord{r, e} })
	e.ClusterIDs.each(func(id int64) { v.clusters[id] = dispositionRecord{r, e} })
	return nil
}

// dispositions checks every disposition row against the latest act that wrote it.
func (v *rowChecker) dispositions() error {
	legacy := 0
	check := func(table string, id int64, workflow, disposition, reason, actor string, at time.Time, want dispositionRecord, ok bool) {
		v.out.Rows++
		key := itoa(id)
		switch {
		case !ok && v.legacyRounds[workflow]:
			legacy++
			return
		case !ok:
			v.mismatch(table, key, "row", Unledgered, -1)
			return
		}
		e, idx := want.e, want.idx
		v.changed(workflow == e.Workflow, table, key, "workflow_id", idx)
		v.changed(disposition == string(e.Disposition), table, key, "disposition", idx)
		v.changed(sha256Hex(reason) == e.ReasonSHA256, table, key, "reason", idx)
		v.changed(want.salted(actor, e.ActorHash), table, key, "actor", idx)
		v.changed(sameTime(at, e.At), table, key, "at", idx)
	}
	seen := map[int64]bool{}
	err := eachPage(v.db, "comment_dispositions", "comment_id", func(d commentDisposition) int64 { return d.CommentID }, func(page []commentDisposition) error {
		for _, d := range page {
			seen[d.CommentID] = true
			want, ok := v.disposed[d.CommentID]
			check("comment_dispositions", d.CommentID, d.WorkflowID, d.Disposition, d.Reason, d.Actor, d.At, want, ok)
		}
		return nil
	})
	if err != nil {
		return err
	}
	v.missing("comment_dispositions", v.disposed, seen)
	seen = map[int64]bool{}
	err = eachPage(v.db, "cluster_dispositions", "cluster_id", func(d clusterDisposition) int64 { return d.ClusterID }, func(page []clusterDisposition) error {
		for _, d := range page {
			seen[d.ClusterID] = true
			want, ok := v.clusters[d.ClusterID]
			check("cluster_dispositions", d.ClusterID, d.WorkflowID, d.Disposition, d.Reason, d.Actor, d.At, want, ok)
		}
		return nil
	})
	v.missing("cluster_dispositions", v.clusters, seen)
	if legacy > 0 {
		v.unverified("dispositions: %d of rounds disposed of before the ledger listed the rows", legacy)
	}
	return err
}

func (v *rowChecker) missing(table string, want map[int64]dispositionRecord, seen map[int64]bool) {
	for id, r := range want {
		if !seen[id] {
			v.mismatch(table, itoa(id), "row", Missing, r.idx)
		}
	}
}

// batchEntry is a comment batch's record (see closeBatch and coverCommentBatch).
type batchEntry struct {
	V        int               `json:"v"`
	Workflow string            `json:"workflow"`
	Batch    int64             `json:"batch"`
	Count    int               `json:"count"`
	First    int64             `json:"first"`
	Last     int64             `json:"last"`
	Digest   string            `json:"digest"`
	IDs      idRanges          `json:"ids"`
	Tags     string            `json:"tags"`
	Fields   map[string]string `json:"fields"`
}

type batchRecord struct {
	record
	e batchEntry
}

func (v *rowChecker) fileBatch(r record) error {
	var e batchEntry
	if err := decode(r, &e); err != nil {
		return err
	}
	v.batches = append(v.batches, batchRecord{r, e})
	return nil
}

type commentBatch struct {
	ID         int64
	WorkflowID string
	Count      int
	Digest     string
	FirstID    *int64
	LastID     *int64
}

// commentBatches checks each batch's round, count, digest and span of comment IDs against
// its record (a batch closed before batches kept their span has none); a batch without a
// record must be empty.
func (v *rowChecker) commentBatches() error {
	byID := make(map[int64]batchRecord, len(v.batches))
	for _, b := range v.batches {
		byID[b.e.Batch] = b
	}
	seen := map[int64]bool{}
	err := eachPage(v.db, "comment_batches", "id", func(b commentBatch) int64 { return b.ID }, func(page []commentBatch) error {
		for _, b := range page {
			v.out.Rows++
			seen[b.ID] = true
			key := itoa(b.ID)
			want, ok := byID[b.ID]
			if !ok {
				if b.Count != 0 {
					v.mismatch("comment_batches", key, "count", Unledgered, -1)
				}
				continue
			}
			v.changed(b.WorkflowID == want.e.Workflow, "comment_batches", key, "workflow_id", want.idx)
			v.changed(b.Count == want.e.Count, "comment_batches", key, "count", want.idx)
			v.changed(b.Digest == want.e.Digest, "comment_batches", key, "digest", want.idx)
			v.changed(b.FirstID == nil || *b.FirstID == want.e.First, "comment_batches", key, "first_id", want.idx)
			v.changed(b.LastID == nil || *b.LastID == want.e.Last, "comment_batches", key, "last_id", want.idx)
		}
		return nil
	})
	for id, want := range byID {
		if !seen[id] {
			v.mismatch("comment_batches", itoa(id), "row", Missing, want.idx)
		}
	}
	return err
}

// comments checks every comment of every ledgered batch, then looks for comments no batch
// record covers.
func (v *rowChecker) comments() error {
	var covered idRanges
	legacy := map[int64][2]int64{} // batch → its record's first and last comment
	for _, b := range v.batches {
		var err error
		if b.e.V >= ledgerVersion {
			err = v.batchComments(b)
			covered = append(covered, b.e.IDs...)
		} else {
			err = v.legacyBatch(b)
			legacy[b.e.Batch] = [2]int64{b.e.First, b.e.Last}
		}
		if err != nil {
			return err
		}
	}
	slices.SortFunc(covered, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
	return eachPage(v.db.Select("id, batch"), "comments", "id", func(c storedComment) int64 { return c.ID }, func(page []storedComment) error {
		for _, c := range page {
			v.out.Rows++
			i := sort.Search(len(covered), func(i int) bool { return covered[i][1] >= c.ID })
			run, old := legacy[c.Batch]
			if (i < len(covered) && covered[i][0] <= c.ID) || (old && run[0] <= c.ID && c.ID <= run[1]) {
				continue
			}
			v.mismatch("comments", itoa(c.ID), "row", Unledgered, -1)
		}
		return nil
	})
}

// batchComments checks a batch's comments field by field against its record's tags, then its
// per-field digests, which catch a change that happens to keep its two-byte tag.
func (v *rowChecker) batchComments(b batchRecord) error {
	byID := map[int64]storedComment{}
	for _, run := range b.e.IDs {
		var rows []storedComment
		if err := v.db.Table("comments").Select(storedCommentColumns).Where("id BETWEEN ? AND ?", run[0], run[1]).Find(&rows).Error; err != nil {
			return fmt.Errorf("read comments of batch %d: %w", b.e.Batch, err)
		}
		for _, c := range rows {
			byID[c.ID] = c
		}
	}
	width := len(commentFields) * commentTagSize
	var present []storedComment
	var wanted []string
	complete := b.e.IDs.count()*width == len(b.e.Tags)
	n := 0
	b.e.IDs.each(func(id int64) {
		defer func() { n++ }()
		c, ok := byID[id]
		if !ok {
			v.mismatch("comments", itoa(id), "row", Missing, b.idx)
			return
		}
		present = append(present, c)
		if complete {
			wanted = append(wanted, b.e.Tags[n*width:(n+1)*width])
		}
		v.changed(c.WorkflowID == b.e.Workflow, "comments", itoa(id), "workflow_id", b.idx)
		v.changed(c.Batch == b.e.Batch, "comments", itoa(id), "batch", b.idx)
	})
	if b.salt == nil {
		return v.legacyBatch(b) // the salt was erased: the leaf digest is what is left to check
	}
	tags, digests := commentCoverage(*b.salt, present)
	tagged := map[string]bool{}
	for k, c := range present {
		if !complete {
			break
		}
		for i, f := range commentFields {
			if tags[k][i*commentTagSize:(i+1)*commentTagSize] != wanted[k][i*commentTagSize:(i+1)*commentTagSize] {
				v.mismatch("comments", itoa(c.ID), f, Changed, b.idx)
				tagged[f] = true
			}
		}
	}
	if len(present) != b.e.IDs.count() {
		return nil
	}
	for _, f := range commentFields {
		if digests[f] != b.e.Fields[f] && !tagged[f] {
			v.mismatch("comments", "batch "+itoa(b.e.Batch), f, Changed, b.idx)
		}
	}
	return nil
}

// legacyBatch checks a batch recorded before comments had tags: its count and the digest of
// its comments' leaves, which names the batch but not the comment.
func (v *rowChecker) legacyBatch(b batchRecord) error {
	rows, err := readBatchComments(v.db, b.e.Batch, b.e.First, b.e.Last)
	if err != nil {
		return err
	}
	leaves := make([][32]byte, len(rows))
	for i, c := range rows {
		var attachments []string
		if c.Attachments != "" {
			attachments = strings.Split(c.Attachments, ",")
		}
		leaves[i] = procedure.CommentLeaf(procedure.Comment{Receipt: c.Receipt, WorkflowID: c.WorkflowID, Clause: c.Clause, Text: c.Body,
			ReceivedAt: c.ReceivedAt, Attachments: attachments})
	}
	key := "batch " + itoa(b.e.Batch)
	v.changed(len(rows) == b.e.Count, "comments", key, "row", b.idx)
	v.changed(procedure.BatchDigest(leaves) == b.e.Digest, "comments", key, "digest", b.idx)
	return nil
}

// sealRecord is the ledger's record of a round's seal: the count and digest fixed at the close.
type sealRecord struct {
	idx      int64
	comments int64
	digest   string
	at       time.Time
}

func (v *rowChecker) fileSeal(r record) error {
	var e struct {
		Workflow string    `json:"workflow"`
		Comments int64     `json:"comments"`
		Digest   string    `json:"digest"`
		At       time.Time `json:"at"`
	}
	if err := decode(r, &e); err != nil {
		return err
	}
	if e.Workflow == "" {
		return fmt.Errorf("seal record without its round")
	}
	v.sealed[e.Workflow] = sealRecord{idx: r.idx, comments: e.Comments, digest: e.Digest, at: e.At}
	return nil
}

// seals checks each sealed round against the seal's record: a round sealed without one, or
// unsealed after it, or with another count, digest or time, is named. Every seal has been
// recorded since rounds were first sealed, so there are no legacy seals to pass over.
func (v *rowChecker) seals() error {
	err := eachPage(v.db, "consultations", "workflow_id", func(c consultation) string { return c.WorkflowID }, func(page []consultation) error {
		for _, c := range page {
			want, ok := v.sealed[c.WorkflowID]
			delete(v.sealed, c.WorkflowID)
			switch {
			case c.SealedAt == nil && !ok:
				continue // open, or closing: nothing sealed to check
			case !ok:
				v.out.Rows++
				v.mismatch("consultations", c.WorkflowID, "sealed_at", Unledgered, -1)
				continue
			case c.SealedAt == nil:
				v.out.Rows++
				v.mismatch("consultations", c.WorkflowID, "sealed_at", Changed, want.idx)
				continue
			}
			v.out.Rows++
			v.changed(sameTime(*c.SealedAt, want.at), "consultations", c.WorkflowID, "sealed_at", want.idx)
			v.changed(c.Comments == want.comments, "consultations", c.WorkflowID, "comments", want.idx)
			v.changed(c.Digest == want.digest, "consultations", c.WorkflowID, "digest", want.idx)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check sealed rounds: %w", err)
	}
	for wf, want := range v.sealed {
		v.mismatch("consultations", wf, "row", Missing, want.idx)
	}
	return nil
}
