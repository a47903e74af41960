package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"decisionflow/procedure"

	"gorm.io/gorm"
)

// A comment batch's ledger record has always held the digest of its comments' leaves
// (procedure.CommentLeaf), which anyone can recompute from the published comments. From
// ledgerVersion on it also covers what the leaf leaves out — the publish consent and the
// contact — and lets an edit be named: for every comment, a two-byte tag per field, and for
// every field a full digest over the batch, all keyed with the record's salt so that neither
// a contact nor an unpublished text can be guessed from the ledger. The tags say which comment
// and field changed; the digests make a change that happens to keep a tag still fail.

// commentFields are the fields of a comment the ledger covers besides its round and batch.
var commentFields = []string{"receipt", "clause", "body", "contact", "publish", "attachments", "received_at"}

// commentTagSize is the hex length of one field's tag.
const commentTagSize = 4

// storedComment is a comment as its row stores it.
type storedComment struct {
	ID          int64
	WorkflowID  string
	Batch       int64
	Receipt     string
	Clause      int
	Body        string
	Contact     string
	Publish     bool
	Attachments string
	ReceivedAt  time.Time
}

const storedCommentColumns = "id, workflow_id, batch, receipt, clause, body, contact, publish, attachments, received_at"

// values are the comment's covered fields, in the order of commentFields.
func (c storedComment) values() []string {
	publish := "0"
	if c.Publish {
		publish = "1"
	}
	return []string{c.Receipt, strconv.Itoa(c.Clause), c.Body, c.Contact, publish, c.Attachments,
		strconv.FormatInt(c.ReceivedAt.UTC().UnixMicro(), 10)}
}

// commentCoverage computes, for comments in ID order, each comment's tags and the batch's
// digest of each field. A field's hash is SHA-256(salt, ID, field, value); the comment's tag
// for it is the hash's first bytes, and the batch's digest of the field is the SHA-256 of the
// field's hashes of all its comments — one hash per field and comment for both.
func commentCoverage(salt string, rows []storedComment) ([]string, map[string]string) {
	tags := make([]string, len(rows))
	digests := make([]hash.Hash, len(commentFields))
	for i, f := range commentFields {
		digests[i] = sha256.New()
		digests[i].Write([]byte(salt + "\x00" + f + "\x00"))
	}
	buf := make([]byte, 0, 256)
	for k, c := range rows {
		tag := make([]byte, 0, len(commentFields)*commentTagSize/2)
		id := strconv.FormatInt(c.ID, 10)
		for i, v := range c.values() {
			buf = append(buf[:0], salt...)
			buf = append(append(append(append(append(buf, 0), id...), 0), commentFields[i]...), 0)
			buf = append(buf, framed(v)...)
			h := sha256.Sum256(buf)
			tag = append(tag, h[:commentTagSize/2]...)
			digests[i].Write(h[:])
		}
		tags[k] = hex.EncodeToString(tag)
	}
	out := make(map[string]string, len(commentFields))
	for i, f := range commentFields {
		out[f] = hex.EncodeToString(digests[i].Sum(nil))
	}
	return tags, out
}

// readBatchComments reads a batch's comments in ID order; first and last bound the IDs so the
// primary key finds them.
func readBatchComments(db *gorm.DB, batch, first, last int64) ([]storedComment, error) {
	var rows []storedComment
	err := db.Table("comments").Select(storedCommentColumns).Where("id BETWEEN ? AND ? AND batch = ?", first, last, batch).
		Order("id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read comments of batch %d: %w", batch, err)
	}
	return rows, nil
}

// coverCommentBatch completes a comment batch's record from its comments as this transaction
// stored them, read back, and returns the record's salt. The intake has its comments at hand
// and completes the record itself (closeBatch); this is for a record appended without them.
func coverCommentBatch(tx *gorm.DB, entry map[string]any) (map[string]any, string, error) {
	batch, _ := entry["batch"].(int64)
	first, _ := entry["first"].(int64)
	last, _ := entry["last"].(int64)
	rows, err := readBatchComments(tx, batch, first, last)
	if err != nil {
		return nil, "", err
	}
	return entry, coverComments(entry, rows), nil
}

// coverComments adds to a comment batch's record the IDs, tags and digests of its comments,
// given in ID order as their rows store them, under a fresh salt, and returns the salt.
func coverComments(entry map[string]any, rows []storedComment) string {
	salt, _ := saltedHash("")
	ids := make([]int64, len(rows))
	for i, c := range rows {
		ids[i] = c.ID
	}
	tags, digests := commentCoverage(salt, rows)
	entry["v"], entry["ids"], entry["tags"], entry["fields"] = ledgerVersion, rangesOf(ids), strings.Join(tags, ""), digests
	return salt
}

// storedCommentOf is the row the intake writes for comment c (see commentValues), as the
// database gives it back: its time is in whole microseconds (Submit truncates it), as the
// column keeps it.
func storedCommentOf(c procedure.Comment, id, batch int64) storedComment {
	return storedComment{ID: id, WorkflowID: c.WorkflowID, Batch: batch, Receipt: c.Receipt, Clause: c.Clause, Body: c.Text,
		Contact: c.Contact, Publish: c.Publish, Attachments: strings.Join(c.Attachments, ","), ReceivedAt: c.ReceivedAt}
}

// framed prefixes a value with its length, so that no two sequences of values hash alike.
func framed(v string) string { return strconv.Itoa(len(v)) + ":" + v }
