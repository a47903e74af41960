package procedure

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Notice is the public consultation notice.
type Notice struct {
	// Draft is the SHA-256 of the draft published for comment.
	Draft string `json:"draft"`
	// Explanation is the SHA-256 of the drafting explanation published with it.
	Explanation string `json:"explanation"`
	// HowToComment tells the public how to comment.
	HowToComment string `json:"how_to_comment"`
	// Channels are where the notice is published.
	Channels []string `json:"channels"`
	// Opens is the first day of the comment period; its end counts from it.
	Opens Date `json:"opens"`
	// Closes is the last day comments are taken.
	Closes Date `json:"closes"`
	// UrgencyReason, published in the notice, allows a shorter period.
	UrgencyReason string `json:"urgency_reason,omitempty"`
	// AffectedGroups are groups the decision specifically affects, declared by the notice in
	// addition to those the start decision named; each must be heard (Art. 14 ¶3).
	AffectedGroups []string `json:"affected_groups,omitempty"`
	// Clock is set by the engine, never by the caller, when the notice is published in a
	// drill: the period's days pass at the drill's speed, and the public intake follows it.
	Clock *DrillClock `json:"clock,omitempty"`
}

// Hearing is a public hearing.
type Hearing struct {
	// Date is the hearing day.
	Date Date `json:"date"`
	// SelectionMethod is how participants were chosen; published before the hearing.
	SelectionMethod string `json:"selection_method"`
	// Participants are the participants' IDs; published before the hearing.
	Participants []string `json:"participants"`
	// PublishedOn is when the selection method and list were published: the day the engine
	// recorded the hearing, whatever the caller sends.
	PublishedOn Date `json:"published_on"`
	// MaterialsDeliveredOn is when materials reached the participants: the day the engine
	// recorded their delivery (HearingMaterials), or, for a delivery made on paper before,
	// the day declared with its evidence.
	MaterialsDeliveredOn Date `json:"materials_delivered_on"`
	// DeliveryEvidence is the SHA-256 of the document proving a delivery (a signed receipt);
	// required for a declared one.
	DeliveryEvidence string `json:"delivery_evidence,omitempty"`
	// Declared marks a delivery date declared, not observed by the engine: the record and the
	// dossier show it as declared.
	Declared bool `json:"declared,omitempty"`
	// Confirmed lists the participants who confirmed and signed the record.
	Confirmed []string `json:"confirmed,omitempty"`
	// Record is the SHA-256 of the hearing record.
	Record string `json:"record,omitempty"`
}

// AdoptionReport reports how each comment was disposed of.
type AdoptionReport struct {
	// Document is the SHA-256 of the report.
	Document string `json:"document"`
	// Comments is the number of comments received.
	Comments int `json:"comments"`
	// Adopted, PartlyAdopted and NotAdopted count the dispositions.
	Adopted int `json:"adopted"`
	// PartlyAdopted counts comments partly adopted.
	PartlyAdopted int `json:"partly_adopted"`
	// NotAdopted counts comments not adopted.
	NotAdopted int `json:"not_adopted"`
	// NotAdoptedWithoutReason counts not-adopted comments without a reason; must be zero.
	NotAdoptedWithoutReason int `json:"not_adopted_without_reason"`
}

// Participation is the state of one public participation round.
type Participation struct {
	// DraftVersion is the draft consulted on.
	DraftVersion int `json:"draft_version"`
	// Officials are the decision's assigned officials, who alone act for the unit in the
	// round; empty in rounds started before rounds were told them.
	Officials []string `json:"officials,omitempty"`
	// Groups are the groups the start decision found specifically affected (Art. 14 ¶3).
	Groups []string `json:"groups,omitempty"`
	// GroupConsultations record how each affected group was heard (Art. 14 ¶3).
	GroupConsultations []GroupConsultation `json:"group_consultations,omitempty"`
	// Notice is the published notice.
	Notice *Notice `json:"notice,omitempty"`
	// PeriodClosed is set when the comment period has run out.
	PeriodClosed bool `json:"period_closed"`
	// Comments is the number of comments received, known when the period closes.
	Comments int `json:"comments"`
	// CommentsDigest is the digest of the comment batches counted.
	CommentsDigest string `json:"comments_digest,omitempty"`
	// Hearings are the hearings held.
	Hearings []Hearing `json:"hearings,omitempty"`
	// Report is the adoption report.
	Report *AdoptionReport `json:"report,omitempty"`
}

// CheckR06Period: end − start ≥ the rulebook's comment period, unless an urgency reason is
// part of the published notice.
func CheckR06Period(rb Rulebook, n Notice) error {
	days := n.Days()
	if days < rb.CommentPeriod.Days && Blank(n.UrgencyReason) {
		return ruleError(EInvalid, "R-06", "征求意见期限为 %d 日，少于规定的 %d 日，且公告未载明紧急情况",
			"the comment period is %d days, shorter than %d, and the notice states no urgency", days, rb.CommentPeriod.Days)
	}
	return invalidIf(days <= 0, "征求意见截止日须晚于开始日", "the comment period must end after it starts")
}

// Days is the period's length as the law counts it: the days after the first day up to and
// including the close (Art. 15; the start day is not counted).
func (n Notice) Days() int { return int(n.Closes.Time().Sub(n.Opens.Time()).Hours()/24 + 0.5) }

// CheckR07Notice: a notice contains the draft, its explanation, how to comment, the deadline
// and at least one channel it is published through.
func CheckR07Notice(n Notice) error {
	return firstError(
		checkNoticeContent(n),
		ruleIf(n.Closes == (Date{}), EInvalid, "R-07", "须载明截止日期", "the deadline is required"),
	)
}

// checkNoticeContent: a notice contains the draft, its explanation, how to comment and at
// least one channel it is published through.
func checkNoticeContent(n Notice) error {
	return firstError(
		ruleRequired("R-07", n.Draft, "征求意见稿", "draft"),
		ruleRequired("R-07", n.Explanation, "起草说明", "explanation"),
		ruleRequired("R-07", n.HowToComment, "意见反馈方式", "how to comment"),
		ruleIf(!slices.ContainsFunc(n.Channels, func(c string) bool { return !Blank(c) }), EInvalid, "R-07",
			"须载明公告发布渠道", "the notice must name at least one channel it is published through"),
	)
}

// CheckNotice allows the unit to publish the notice once per round, on the round's own draft
// (draft is its SHA-256; empty for rounds opened before rounds knew it), with a period that
// starts no earlier than today, the day the engine records the notice (Art. 15). A notice
// without a close date takes the shortest lawful period (see CheckR06Close).
func (p *Participation) CheckNotice(a Actor, rb Rulebook, n Notice, today Date, draft string) error {
	period := CheckR06Period(rb, n.Published(today))
	if n.Closes == (Date{}) {
		period = nil
	}
	return firstError(
		requireAssigned(a, "发布征求意见公告", p.Officials),
		conflictIf(p.Notice != nil, "本轮征求意见公告已发布", "the notice of this round is already published"),
		checkNoticeContent(n),
		ruleIf(draft != "" && NormalName(n.Draft) != NormalName(draft), EInvalid, "R-07",
			"公告所附草案不是本轮征求意见的草案", "the notice's draft is not the draft this round consults on"),
		ruleIf(n.Opens != (Date{}) && n.Opens.Before(today), EInvalid, "R-06",
			"征求意见期限不得自过去的日期起算，应自公告发布之日起算", "the comment period cannot start in the past: it runs from the notice's publication"),
		period,
	)
}

// Published is the notice as published on today: a notice that names no first day opens on
// the day it is published.
func (n Notice) Published(today Date) Notice {
	if n.Opens == (Date{}) {
		n.Opens = today
	}
	return n
}

// Closing is the notice with its close date: the one it names, or else the end of the
// shortest lawful period least.
func (n Notice) Closing(least Deadline) Notice {
	if n.Closes == (Date{}) {
		n.Closes = least.Due
	}
	return n
}

// CheckR06Close: the period runs at least to the rulebook's comment period counted on the
// official calendar from the day the notice opens — rolled over past a non-working end where
// the rulebook says so — unless the notice states an urgency.
func CheckR06Close(n Notice, least Deadline) error {
	if n.Closes == (Date{}) {
		return nil
	}
	return ruleIf(n.Closes.Before(least.Due) && Blank(n.UrgencyReason), EInvalid, "R-06",
		fmt.Sprintf("征求意见截止日 %s 早于法定最短期限的截止日（%s），且公告未载明紧急情况", n.Closes, least.Explanation),
		fmt.Sprintf("the comment period closes %s, before the shortest lawful period ends (%s), and the notice states no urgency", n.Closes, least.ExplanationEN))
}

// CheckExtend allows the comment period to be extended; it can never be shortened.
func (p *Participation) CheckExtend(a Actor, closes Date) error {
	return firstError(
		requireAssigned(a, "延长征求意见期限", p.Officials),
		failedIf(p.Notice == nil, "尚未发布公告", "no notice published"),
		failedIf(p.PeriodClosed, "征求意见期限已届满", "the comment period is over"),
		invalidIf(p.Notice != nil && !closes.After(p.Notice.Closes), "只能延长，不能缩短征求意见期限", "the period can only be extended"),
	)
}

// CheckR08Hearing: selection method and participants published before the hearing, materials
// delivered at least the rulebook's lead time before it.
func CheckR08Hearing(rb Rulebook, h Hearing) error {
	lead := rb.HearingMaterialsLead.Days
	return firstError(
		ruleRequired("R-08", h.SelectionMethod, "听证参加人遴选办法", "selection method"),
		ruleIf(len(h.Participants) == 0, EInvalid, "R-08", "须公布听证参加人名单", "the participant list is required"),
		ruleIf(!h.PublishedOn.Before(h.Date), EInvalid, "R-08", "遴选办法和名单须在听证会前公布", "the method and list must be published before the hearing"),
		ruleIf(h.Date.Before(h.MaterialsDeliveredOn.AddDays(lead)), EInvalid, "R-08",
			"听证材料须至少提前规定日数送达参加人", "materials must reach participants the rulebook's lead time before the hearing"),
	)
}

// CheckHearing allows a hearing to be scheduled during the round: its selection method and
// participant list are published today, when the engine records them (Art. 16). Materials
// already delivered on paper may be declared with their delivery date, never a future one,
// and the evidence of the delivery.
func (p *Participation) CheckHearing(a Actor, rb Rulebook, h Hearing, today Date) error {
	declared := h.MaterialsDeliveredOn != (Date{})
	return firstError(
		requireAssigned(a, "组织听证", p.Officials),
		failedIf(p.Report != nil, "采纳情况报告已提交", "the adoption report is already in"),
		ruleIf(declared && h.MaterialsDeliveredOn.After(today), EInvalid, "R-08",
			"材料送达日期不得晚于今日；尚未送达的，送达时另行记录", "materials cannot be declared delivered in the future: record the delivery when it happens"),
		ruleIf(declared && Blank(h.DeliveryEvidence), EInvalid, "R-08",
			"自行申报的材料送达须附送达凭证", "a declared delivery needs its evidence"),
		CheckR08Hearing(rb, h.Scheduled(today)),
	)
}

// Scheduled is the hearing as recorded on today: published today, a delivery date it names
// marked declared.
func (h Hearing) Scheduled(today Date) Hearing {
	h.PublishedOn, h.Confirmed = today, nil
	h.Declared = h.MaterialsDeliveredOn != (Date{})
	return h
}

// HearingMaterials records that the hearing's materials reached its participants today.
type HearingMaterials struct {
	// Hearing is the hearing's index in the round, from 0.
	Hearing int `json:"hearing"`
	// Evidence is the SHA-256 of the delivery's proof, if any (a signed receipt).
	Evidence string `json:"evidence,omitempty"`
}

// CheckMaterials allows the delivery of a hearing's materials to be recorded today, at least
// the rulebook's lead time before the hearing (R-08, Art. 16: 7 days).
func (p *Participation) CheckMaterials(a Actor, rb Rulebook, m HearingMaterials, today Date) error {
	if m.Hearing < 0 || m.Hearing >= len(p.Hearings) {
		return Errorf(ENotFound, "听证会 %d 不存在", "hearing %d not found", m.Hearing)
	}
	h := p.Hearings[m.Hearing]
	h.MaterialsDeliveredOn = today
	return firstError(
		requireAssigned(a, "送达听证材料", p.Officials),
		conflictIf(p.Hearings[m.Hearing].MaterialsDeliveredOn != (Date{}), "听证材料已送达", "the materials were delivered already"),
		CheckR08Hearing(rb, h),
	)
}

// ApplyMaterials records the delivery today and returns the hearing as it now stands.
func (p *Participation) ApplyMaterials(m HearingMaterials, today Date) Hearing {
	h := &p.Hearings[m.Hearing]
	h.MaterialsDeliveredOn, h.DeliveryEvidence, h.Declared = today, m.Evidence, false
	return *h
}

// CheckConfirmHearing lets a participant confirm and sign the hearing record.
func (p *Participation) CheckConfirmHearing(a Actor, index int, signature string, today Date) error {
	if index < 0 || index >= len(p.Hearings) {
		return Errorf(ENotFound, "听证会 %d 不存在", "hearing %d not found", index)
	}
	h := p.Hearings[index]
	return firstError(
		ruleIf(!slices.Contains(h.Participants, a.ID), EPermissionDenied, "R-09", "只有听证参加人可以确认笔录", "only a participant may confirm the record"),
		ruleIf(h.MaterialsDeliveredOn == (Date{}), EFailedPrecondition, "R-08", "听证材料尚未送达，听证会不能举行", "the materials have not been delivered: the hearing cannot be held"),
		ruleIf(today.Before(h.Date), EFailedPrecondition, "R-09", "听证会尚未举行", "the hearing has not been held yet"),
		conflictIf(slices.Contains(h.Confirmed, a.ID), "已确认", "already confirmed"),
		ruleIf(Blank(signature), EInvalid, "R-09", "确认须签名", "the confirmation must be signed"),
	)
}

// CheckR09HearingsClosed: a hearing closes only when every participant has confirmed and signed.
func (p *Participation) CheckR09HearingsClosed() error {
	for _, h := range p.Hearings {
		if len(h.Confirmed) < len(h.Participants) {
			return ruleError(EFailedPrecondition, "R-09", "听证笔录尚有 %d 名参加人未确认签名",
				"%d hearing participants have not confirmed and signed the record", len(h.Participants)-len(h.Confirmed))
		}
	}
	return nil
}

// CheckR10Report: every comment gets a disposition and not-adopted needs a reason; the report
// comes after the period closes, the hearings are closed and the groups specifically affected
// are heard (Art. 14 ¶3).
func (p *Participation) CheckR10Report(a Actor, rep AdoptionReport) error {
	return firstError(
		requireAssigned(a, "提交意见采纳情况报告", p.Officials),
		conflictIf(p.Report != nil, "采纳情况报告已提交", "the adoption report is already in"),
		ruleIf(!p.PeriodClosed, EFailedPrecondition, "R-10", "征求意见期限届满前不能提交采纳情况报告",
			"the adoption report comes after the comment period closes"),
		p.CheckR09HearingsClosed(),
		p.checkR10Groups(),
		ruleIf(rep.Comments != p.Comments, EInvalid, "R-10", "报告的意见数与收到的意见数不一致",
			"the report's comment count differs from the comments received"),
		ruleIf(rep.Adopted+rep.PartlyAdopted+rep.NotAdopted != rep.Comments, EInvalid, "R-10",
			"每条意见都须有处理结果（采纳、部分采纳、不采纳）", "every comment needs a disposition"),
		ruleIf(rep.NotAdoptedWithoutReason > 0, EInvalid, "R-10", "不予采纳的意见须说明理由", "every comment not adopted needs a reason"),
		ruleRequired("R-10", rep.Document, "采纳情况报告", "report document"),
	)
}

// Done reports whether the round is complete.
func (p *Participation) Done() bool { return p.Report != nil }

// ClosePeriod records the end of the comment period, the number of comments received and
// the digest binding that number to the stored comments.
func (p *Participation) ClosePeriod(c CommentCount) {
	p.PeriodClosed, p.Comments, p.CommentsDigest = true, int(c.Comments), c.Digest
}

// Deadline returns the time the comment period ends: the end of its last day in China.
func (n Notice) Deadline() time.Time { return n.Closes.AddDays(1).Time() }

// OpensAt is the real instant the period opens: the start of its first day in China, or in a
// drill the moment the drill's clock reaches it.
func (n Notice) OpensAt() time.Time { return n.Clock.Real(n.Opens.Time()) }

// ClosesAt is the real instant the period closes (see Deadline), on the drill's clock in a drill.
func (n Notice) ClosesAt() time.Time { return n.Clock.Real(n.Deadline()) }

// DeadlineExplanation says, in Chinese and English, how long the period runs and when
// exactly it ends.
// The period's length is counted as R-06 counts it (Days): the first day is not counted.
func (n Notice) DeadlineExplanation() (zh, en string) {
	days := n.Days()
	zh = fmt.Sprintf("征求意见期自 %s 起至 %s 止，期限 %d 日（起算日不计）；截止日 24 时（北京时间）后提交的意见不予受理。", n.Opens, n.Closes, days)
	en = fmt.Sprintf("Comments are taken from %s to %s, a period of %d days (the first day not counted); comments after midnight (Beijing time) at the end of %s are refused.", n.Opens, n.Closes, days, n.Closes)
	if n.UrgencyReason != "" {
		zh += "因" + n.UrgencyReason + "，征求意见期限依法缩短。"
		en += " The period is shortened for urgency: " + n.UrgencyReason + "."
	}
	return zh, en
}

// HearingRegistration is a member of the public's application to take part in a hearing
//
type HearingRegistration struct {
	// Receipt is the registration's number.
	Receipt string `json:"receipt"`
	// Name is the applicant's name.
	Name string `json:"name"`
	// Contact is how to reach the applicant; never published.
	Contact string `json:"contact,omitempty"`
	// Statement says the applicant's interest in the matter.
	Statement string `json:"statement,omitempty"`
	// At is when the registration was taken.
	At time.Time `json:"at"`
	// Selected is set once the applicant is chosen as a participant.
	Selected bool `json:"selected,omitempty"`
}

// CheckHearingRegistration validates a registration.
func CheckHearingRegistration(r HearingRegistration) error {
	return firstError(
		invalidIf(Blank(r.Name), "须填写姓名", "the name is required"),
		invalidIf(Blank(r.Contact), "须填写联系方式", "a contact is required"),
		invalidIf(utf8.RuneCountInString(r.Name) > 100 || utf8.RuneCountInString(r.Contact) > MaxContactRunes ||
			utf8.RuneCountInString(r.Statement) > 2000, "报名信息过长", "the registration is too long"),
	)
}

// HearingSelection is the published result of choosing hearing participants by lot:
// anyone holding the list of registration receipts can recompute it.
type HearingSelection struct {
	// Method describes how the participants were chosen.
	Method string `json:"method"`
	// Seed is the SHA-256 of the sorted receipts of every registration.
	Seed string `json:"seed"`
	// Registrations is the number of registrations the lot was drawn from.
	Registrations int `json:"registrations"`
	// Selected are the receipts chosen, in the order drawn.
	Selected []string `json:"selected"`
}

// SelectByLot draws seats receipts from the registrations' receipts: each receipt's rank is
// SHA-256(seed || receipt), the seed being the SHA-256 of all receipts in order, and the
// lowest ranks win. No one chooses the seed, and the draw is reproducible from the list.
func SelectByLot(receipts []string, seats int) HearingSelection {
	sorted := slices.Sorted(slices.Values(receipts))
	seed := sha256.Sum256([]byte(strings.Join(sorted, "\n")))
	rank := func(r string) string {
		h := sha256.Sum256(append(seed[:], r...))
		return hex.EncodeToString(h[:])
	}
	slices.SortFunc(sorted, func(a, b string) int { return strings.Compare(rank(a), rank(b)) })
	if seats > len(sorted) {
		seats = len(sorted)
	}
	return HearingSelection{
		Method: fmt.Sprintf("从 %d 名报名者中以公开算法抽签确定 %d 名：种子为全部报名回执号排序后的 SHA-256，"+
			"各回执号以 SHA-256(种子‖回执号) 排序，取前 %d 名", len(sorted), seats, seats),
		Seed: hex.EncodeToString(seed[:]), Registrations: len(sorted), Selected: sorted[:seats],
	}
}
