package procedure

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of a public comment.
const (
	// MaxCommentRunes is the longest comment accepted, in characters.
	MaxCommentRunes = 10000
	// MaxContactRunes is the longest contact accepted, in characters.
	MaxContactRunes = 200
	// MaxReasonRunes is the longest disposition reason accepted, in characters.
	MaxReasonRunes = 2000
	// MaxAttachments is the most files one comment may carry.
	MaxAttachments = 3
	// MaxAttachmentBytes is the largest file a comment may carry.
	MaxAttachmentBytes = 5 << 20
)

// Consultation is the public face of one participation round: what the public reads and
// where comments go. The store keeps it from the round's notice.
type Consultation struct {
	// WorkflowID identifies the round, e.g. BD-2026-007/participation/1.
	WorkflowID string `json:"workflow_id"`
	// Decision is the decision number.
	Decision string `json:"decision"`
	// Title is the decision's title.
	Title string `json:"title"`
	// Round numbers the decision's participation rounds from 1.
	Round int `json:"round"`
	// DraftVersion is the draft consulted on.
	DraftVersion int `json:"draft_version"`
	// Notice is the published notice.
	Notice Notice `json:"notice"`
	// OpensAt is the first instant comments are taken: the start of the first day in China (in
	// a drill, when the drill's clock reaches it).
	OpensAt time.Time `json:"opens_at"`
	// ClosesAt is the first instant comments are refused: the end of the last day in China.
	ClosesAt time.Time `json:"closes_at"`
	// Sealed is set once the period has closed and the comments were counted.
	Sealed bool `json:"sealed"`
	// Comments is the number counted at the close.
	Comments int64 `json:"comments,omitempty"`
	// Digest is the SHA-256 over the comment batches' digests, fixed at the close.
	Digest string `json:"digest,omitempty"`
	// Report is the SHA-256 of the adoption report, once submitted.
	Report string `json:"report,omitempty"`
	// Drill marks a rehearsal.
	Drill bool `json:"drill,omitempty"`
}

// NewConsultation builds the public face of a round from its notice.
func NewConsultation(decision, workflowID string, round, draftVersion int, n Notice) Consultation {
	return Consultation{WorkflowID: workflowID, Decision: decision, Round: round, DraftVersion: draftVersion,
		Notice: n, OpensAt: n.OpensAt(), ClosesAt: n.ClosesAt()}
}

// CheckOpen refuses a comment outside the period, with the period's dates in the error.
func (c Consultation) CheckOpen(at time.Time) error {
	var e *Error
	switch {
	case at.Before(c.OpensAt):
		e = Errorf(EFailedPrecondition, "征求意见尚未开始：意见征集期为 %s 至 %s", "the comment period has not begun: it runs from %s to %s",
			c.Notice.Opens, c.Notice.Closes)
	case c.Sealed || !at.Before(c.ClosesAt):
		e = Errorf(EFailedPrecondition, "征求意见已截止：意见征集期为 %s 至 %s", "the comment period is over: it ran from %s to %s",
			c.Notice.Opens, c.Notice.Closes)
	default:
		return nil
	}
	e.Fields = map[string]string{"opens": c.Notice.Opens.String(), "closes": c.Notice.Closes.String()}
	return e
}

// Comment is one public comment as received and stored.
type Comment struct {
	// ID is the store's sequence number.
	ID int64 `json:"id"`
	// WorkflowID is the round commented on.
	WorkflowID string `json:"workflow_id"`
	// Receipt is the number the commenter looks the comment up with.
	Receipt string `json:"receipt"`
	// IdempotencyKey, when the client sent one, makes a resubmission return the first receipt.
	IdempotencyKey string `json:"-"`
	// Clause is the clause of the round's draft the comment concerns; 0 for the whole draft.
	Clause int `json:"clause,omitempty"`
	// Text is the comment as written, normalised (NFC, no control characters).
	Text string `json:"text"`
	// Contact is how to reach the commenter; never published.
	Contact string `json:"contact,omitempty"`
	// Publish says whether the commenter allows publication of the text.
	Publish bool `json:"publish"`
	// Client is a hash of where the comment came from, for abuse analysis only.
	Client string `json:"-"`
	// Attachments are the SHA-256 hashes of files attached.
	Attachments []string `json:"attachments,omitempty"`
	// ReceivedAt is when the intake took it.
	ReceivedAt time.Time `json:"received_at"`
}

// CheckComment validates a comment's content after normalisation.
func CheckComment(c Comment) error {
	n := utf8.RuneCountInString(c.Text)
	return firstError(
		invalidIf(Blank(c.Text), "意见内容不能为空", "the comment text must not be empty"),
		invalidIf(n > MaxCommentRunes, "意见内容不能超过 "+strconv.Itoa(MaxCommentRunes)+" 个字符",
			"the comment must not exceed "+strconv.Itoa(MaxCommentRunes)+" characters"),
		invalidIf(utf8.RuneCountInString(c.Contact) > MaxContactRunes, "联系方式过长", "the contact is too long"),
		invalidIf(c.Clause < 0 || c.Clause > 10000, "条款编号不正确", "the clause number is out of range"),
	)
}

// CleanText strips control characters other than line breaks and tabs, unifies line breaks
// and trims surrounding space. Unicode normalisation (NFC) is the caller's: this package
// keeps to the standard library.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r), r >= 0x200B && r <= 0x200F, r == 0xFEFF, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			// Zero-width and bidi controls hide or reorder text; they have no place in a comment.
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// Receipt is what a commenter gets back for a durable comment.
type Receipt struct {
	// Receipt is the receipt number.
	Receipt string `json:"receipt"`
	// Decision is the decision commented on.
	Decision string `json:"decision"`
	// Round is the participation round.
	Round int `json:"round"`
	// ReceivedAt is when the comment was taken.
	ReceivedAt time.Time `json:"received_at"`
	// Duplicate is set when the same Idempotency-Key was seen before; the first receipt is returned.
	Duplicate bool `json:"duplicate,omitempty"`
}

// CommentLeaf is the hash a comment contributes to its batch digest: receipt, round, clause,
// text, receipt time and the hashes of its attachments, so any later change to a stored
// comment or its files changes the digest.
func CommentLeaf(c Comment) [32]byte {
	text := sha256.Sum256([]byte(c.Text))
	h := sha256.New()
	for _, part := range []string{c.Receipt, c.WorkflowID, strconv.Itoa(c.Clause), hex.EncodeToString(text[:]),
		strconv.FormatInt(c.ReceivedAt.UTC().UnixMicro(), 10), strings.Join(c.Attachments, ",")} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// BatchDigest is the SHA-256 over the leaves of a batch's comments in ID order.
func BatchDigest(leaves [][32]byte) string {
	h := sha256.New()
	for _, l := range leaves {
		h.Write(l[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Disposition is how the unit disposed of a comment.
type Disposition string

// The dispositions.
const (
	// Adopted means the comment was taken up.
	Adopted Disposition = "adopted"
	// PartlyAdopted means the comment was partly taken up.
	PartlyAdopted Disposition = "partly_adopted"
	// NotAdopted means the comment was not taken up; a reason is required.
	NotAdopted Disposition = "not_adopted"
)

// DispositionRequest disposes of comments or clusters of comments in one act.
type DispositionRequest struct {
	// Comments are comment IDs.
	Comments []int64 `json:"comments,omitempty"`
	// Clusters are cluster IDs; every comment of the cluster without a disposition of its own
	// takes the cluster's.
	Clusters []int64 `json:"clusters,omitempty"`
	// Undisposed disposes of every comment of the round that has no disposition yet, e.g. the
	// remaining comments a single answer covers.
	Undisposed bool `json:"undisposed,omitempty"`
	// Disposition is adopted, partly_adopted or not_adopted.
	Disposition Disposition `json:"disposition"`
	// Reason explains the disposition; required for not adopted.
	Reason string `json:"reason,omitempty"`
}

// MaxDispositionTargets bounds one bulk disposition.
const MaxDispositionTargets = 10000

// CheckDisposition validates a disposition: a known value, a target, and a reason
// when the comment is not adopted.
func CheckDisposition(a Actor, d DispositionRequest) error {
	n := len(d.Comments) + len(d.Clusters)
	if d.Undisposed {
		n++
	}
	return firstError(
		requireRole(a, "处理公众意见", RoleOfficial),
		invalidIf(d.Disposition != Adopted && d.Disposition != PartlyAdopted && d.Disposition != NotAdopted,
			"处理结果须为 adopted（采纳）、partly_adopted（部分采纳）或 not_adopted（不予采纳）",
			"the disposition must be adopted, partly_adopted or not_adopted"),
		invalidIf(n == 0, "须指明处理的意见或意见组", "name the comments or clusters disposed of"),
		invalidIf(n > MaxDispositionTargets, "一次最多处理 10000 条意见或意见组", "at most 10,000 comments or clusters at once"),
		ruleIf(d.Disposition == NotAdopted && Blank(d.Reason), EInvalid, "R-10",
			"不予采纳的意见须说明理由", "a comment not adopted needs a reason"),
		invalidIf(utf8.RuneCountInString(d.Reason) > MaxReasonRunes, "理由过长", "the reason is too long"),
	)
}

// SearchTerms splits text into the terms the comment search indexes and matches: each run
// of Han characters becomes its overlapping character pairs (a run of one stays one
// character), each run of letters or digits one lower-case word. Chinese has no spaces, and
// pairs find any word of two or more characters without a dictionary.
func SearchTerms(text string) []string {
	var terms []string
	var run []rune
	han := false
	flush := func() {
		switch {
		case len(run) == 0:
		case han && len(run) == 1:
			terms = append(terms, string(run))
		case han:
			for i := 0; i+1 < len(run); i++ {
				terms = append(terms, string(run[i:i+2]))
			}
		default:
			terms = append(terms, strings.ToLower(string(run)))
		}
		run = run[:0]
	}
	for _, r := range text {
		isHan := unicode.Is(unicode.Han, r)
		isWord := !isHan && (unicode.IsLetter(r) || unicode.IsDigit(r))
		if (!isHan && !isWord) || (len(run) > 0 && isHan != han) {
			flush()
		}
		if isHan || isWord {
			han = isHan
			run = append(run, r)
		}
	}
	flush()
	return terms
}

// NearDuplicate is the least Jaccard similarity of character pairs (as package textsim
// measures it) at which two comments count as one campaign text. A name, a place or a few words changed in a comment of a few
// dozen characters keeps it above 0.7; the same template turned from 反对 to 支持 with a
// different ending falls below.
const NearDuplicate = 0.7

// TextHash is the SHA-256 of a comment's text with letters lower-cased and everything but
// letters, digits and Han removed: the key of exact duplicates.
func TextHash(text string) string {
	buf := make([]byte, 0, len(text))
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		}
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// CommentCount is what the participation workflow learns of the comments when the period
// closes: how many, and a digest binding it to the stored batches.
type CommentCount struct {
	// Comments is the number of comments received.
	Comments int64 `json:"comments"`
	// Digest is the SHA-256 over the round's batch digests in order.
	Digest string `json:"digest"`
	// Batches is the number of batches.
	Batches int `json:"batches"`
}

// CommentView is a comment as officials see it: with its cluster, its disposition and where
// its clause went in the latest draft.
type CommentView struct {
	Comment
	// Decision is the decision commented on.
	Decision string `json:"decision"`
	// Round is the participation round.
	Round int `json:"round"`
	// Cluster is the cluster of exact and near-duplicate texts it belongs to; 0 before clustering.
	Cluster int64 `json:"cluster,omitempty"`
	// Disposition is its own disposition, else its cluster's; empty while undisposed.
	Disposition Disposition `json:"disposition,omitempty"`
	// Reason explains the disposition.
	Reason string `json:"reason,omitempty"`
	// ByCluster is set when the disposition is the cluster's.
	ByCluster bool `json:"by_cluster,omitempty"`
	// ClauseNow says where the comment's clause is in the latest draft with clauses.
	ClauseNow *ClauseLink `json:"clause_now,omitempty"`
}

// Cluster is a group of comments with the same or nearly the same text: a campaign shows as
// one representative with a count.
type Cluster struct {
	// ID identifies the cluster within its round.
	ID int64 `json:"id"`
	// Size is the number of comments in it.
	Size int64 `json:"size"`
	// Texts is the number of distinct texts in it (1 for exact duplicates only).
	Texts int64 `json:"texts"`
	// Representative is the ID of its first comment.
	Representative int64 `json:"representative"`
	// Text is the representative's text.
	Text string `json:"text"`
	// Publish says whether the representative's author allows publication.
	Publish bool `json:"publish"`
	// Disposition is the cluster's disposition, if any.
	Disposition Disposition `json:"disposition,omitempty"`
	// Reason explains it.
	Reason string `json:"reason,omitempty"`
}
