package procedure

import (
	"slices"
	"time"
)

// Meeting kinds: only an executive or plenary meeting may decide.
const (
	// MeetingExecutive is an executive meeting of the government (常务会议).
	MeetingExecutive = "executive"
	// MeetingPlenary is a plenary meeting (全体会议).
	MeetingPlenary = "plenary"
)

// Offices whose holders sit on a government's meetings (Local Organic Law, Arts. 70, 78); the
// rulebook says which of them sit on each kind of meeting.
const (
	// OfficeHead is the head of the government (行政首长), who presides and decides.
	OfficeHead = "head"
	// OfficeDeputyHead is a deputy head (副省长、副市长、副区长…).
	OfficeDeputyHead = "deputy_head"
	// OfficeSecretaryGeneral is the government's secretary-general (秘书长).
	OfficeSecretaryGeneral = "secretary_general"
	// OfficeDepartmentHead heads a department of the government (厅长、局长、委员会主任…).
	OfficeDepartmentHead = "department_head"
)

// The head's decisions.
const (
	// DecisionApprove adopts the draft.
	DecisionApprove = "approve"
	// DecisionReject ends the decision.
	DecisionReject = "reject"
	// DecisionRevise sends the draft back for revision.
	DecisionRevise = "revise"
	// DecisionDefer postpones the matter to a later meeting.
	DecisionDefer = "defer"
	// DecisionRediscuss puts the matter to another meeting.
	DecisionRediscuss = "rediscuss"
)

// Meeting is a collective discussion of the decision.
type Meeting struct {
	// Kind is executive or plenary.
	Kind string `json:"kind"`
	// Date is the meeting day.
	Date Date `json:"date"`
	// Head presides and decides.
	Head string `json:"head"`
	// Members are every member of the meeting, the head included: those summoned, whether
	// they attend or not; the quorum counts from them.
	Members []string `json:"members"`
	// Offices name each member's office (an Office constant), keyed by member; the rulebook
	// says which offices sit on each kind of meeting.
	Offices map[string]string `json:"offices,omitempty"`
	// Minutes are the recorded minutes, once recorded.
	Minutes *Minutes `json:"minutes,omitempty"`
	// Approved is set when the head approves the minutes; they are immutable from then on.
	Approved bool `json:"approved"`
	// StatedRisks are the legal risks an exploratory legality opinion stated, carried in the
	// meeting package as an item of their own; the engine sets them when the meeting is
	// scheduled.
	StatedRisks *StatedRisks `json:"stated_risks,omitempty"`
}

// View is one member's view in the minutes.
type View struct {
	// Member is the member's ID.
	Member string `json:"member"`
	// Position is approve, reject or revise.
	Position string `json:"position"`
	// Opinion is the member's stated view, kept permanently.
	Opinion string `json:"opinion"`
}

// Minutes record the discussion and the head's decision.
type Minutes struct {
	// Attended lists the members who attended, the head included; their number must exceed
	// the rulebook's quorum of the members.
	Attended []string `json:"attended,omitempty"`
	// Views are every attending member's views in speaking order; the head's comes last.
	Views []View `json:"views"`
	// Decision is the head's decision.
	Decision string `json:"decision"`
	// Reason is required when the head departs from the majority.
	Reason string `json:"reason,omitempty"`
	// LegalRisks is the meeting's own item on the legal risks an exploratory legality opinion
	// stated; required when the opinion before the meeting is exploratory (R-22, Art. 25 ¶2).
	LegalRisks *LegalRisksConsidered `json:"legal_risks,omitempty"`
	// Document is the SHA-256 of the minutes.
	Document string `json:"document"`
	// Signature is the recorder's signature.
	Signature string `json:"signature"`
	// Recorder is set from the actor.
	Recorder string `json:"recorder"`
}

// LegalRisksConsidered records, as an item of its own, that the meeting considered the legal
// risks an exploratory legality opinion stated (R-22; Art. 25 ¶2).
type LegalRisksConsidered struct {
	// Opinion is the SHA-256 of the legality opinion that stated the risks.
	Opinion string `json:"opinion"`
	// Risks are the legal risks as the opinion stated them.
	Risks string `json:"risks"`
	// Consideration is how the meeting weighed them.
	Consideration string `json:"consideration"`
}

// CheckR24Package: the meeting package holds the draft, the adoption reports, the risk report,
// the legality opinion and the fair-competition review where each is required.
func (r *Record) CheckR24Package() error {
	missing := []string{}
	if r.DraftVersion() == 0 {
		missing = append(missing, "决策草案")
	}
	for _, p := range []struct{ proc, item string }{
		{ProcParticipation, "公众意见采纳情况报告"}, {ProcExpert, "专家论证意见采纳情况报告"}, {ProcRisk, "风险评估报告"},
		{ProcLegality, "合法性审查意见"}, {ProcFairCompetition, "公平竞争审查意见"},
	} {
		if !r.Satisfied(p.proc) {
			missing = append(missing, p.item)
		}
	}
	if len(missing) > 0 {
		return ruleError(EFailedPrecondition, "R-24", "上会材料不全：%v", "the meeting package is incomplete: %v", missing)
	}
	return nil
}

// CheckScheduleMeeting allows a meeting that may decide with a complete package
// that reaches the members at least the rulebook's lead time before the meeting day.
func (r *Record) CheckScheduleMeeting(a Actor, m Meeting, today Date) error {
	lead := r.Rulebook.MeetingMaterialsLead.Days
	return firstError(
		requireRole(a, "安排会议", RoleMeetingSecretary, RoleHead),
		r.requireSecretary(a, "安排会议", true),
		r.requireStage("安排会议", StageCollectiveDiscussion),
		conflictIf(r.Meeting != nil && !r.Meeting.Approved, "已有待召开或待定稿的会议", "a meeting is already scheduled"),
		ruleIf(m.Kind != MeetingExecutive && m.Kind != MeetingPlenary, EInvalid, "R-25",
			"重大行政决策须经常务会议或全体会议讨论，不得以传签代替", "only an executive or plenary meeting may decide; circulated sign-off is rejected"),
		required(m.Head, "会议主持人（行政首长）", "head"),
		invalidIf(!containsName(m.Members, m.Head), "行政首长须为参会成员", "the head must be a member of the meeting"),
		r.checkR25Composition(m),
		r.CheckR24Package(),
		ruleIf(m.Date.Before(today.AddDays(lead)), EInvalid, "R-24", "会议日期须留出规定的上会材料送达时间",
			"the meeting day must leave the rulebook's lead time for delivering the package"),
	)
}

// requireSecretary: a meeting secretary acts on this decision's meeting only if the decision
// names them or their unit among its secretaries, where it names any; a reassignment
// by the head applies at once. Where headActs, the head acts as head, not as secretary.
func (r *Record) requireSecretary(a Actor, act string, headActs bool) error {
	if headActs && a.Has(RoleHead) {
		return nil
	}
	return requireNamed(a, act, r.secretaries(), "会议秘书", "meeting secretaries")
}

// meetingLabels name the meetings that may decide, in Chinese.
var meetingLabels = map[string]string{MeetingExecutive: "常务会议", MeetingPlenary: "全体会议"}

// checkR25Composition: where the rulebook sets who sits on each kind of meeting, every member
// is named once and holds an office that sits on a meeting of this kind, the head presides in
// the head's office, and the head does not sit alone.
func (r *Record) checkR25Composition(m Meeting) error {
	sits, ok := r.Rulebook.MeetingComposition[m.Kind]
	if !ok {
		return nil // a rulebook from before meetings had a composition, or no meeting that may decide
	}
	for i, member := range m.Members {
		if Blank(member) || containsName(m.Members[:i], member) {
			return ruleError(EInvalid, "R-25", "会议组成人员 %q 为空或重复", "member %q is blank or named twice", member)
		}
		office := m.office(member)
		if !slices.Contains(sits, office) {
			return ruleError(EInvalid, "R-25", "%[1]s 的职务“%[2]s”不是%[3]s的组成人员（应为 %[4]v 之一）",
				"%[1]s holds no office that sits on the %[5]s meeting (%[2]q; one of %[4]v)", member, office, meetingLabels[m.Kind], sits, m.Kind)
		}
		if office == OfficeHead && !SameName(member, m.Head) {
			return ruleError(EInvalid, "R-25", "%s 不是主持会议的行政首长", "%s is not the presiding head", member)
		}
	}
	return firstError(
		ruleIf(m.office(m.Head) != OfficeHead, EInvalid, "R-25", "主持会议者须为行政首长", "the meeting is presided over by the head, in the head's office"),
		ruleIf(len(m.Members) < 2, EInvalid, "R-25", "行政首长一人不构成会议", "the head alone is no meeting"),
	)
}

// office returns member's office in the meeting, keyed as the member is named in Members,
// "" if none is named.
func (m Meeting) office(member string) string {
	if o, ok := m.Offices[member]; ok {
		return o
	}
	if i := slices.IndexFunc(m.Members, func(k string) bool { return SameName(k, member) }); i >= 0 {
		return m.Offices[m.Members[i]]
	}
	return ""
}

// ApplyScheduleMeeting records the meeting.
func (r *Record) ApplyScheduleMeeting(a Actor, m Meeting, at time.Time) {
	m.Minutes, m.Approved, m.StatedRisks = nil, false, r.StatedLegalRisks()
	r.Meeting = &m
	r.Note(at, "meeting_scheduled", a.ID, false, m.Kind)
}

// CheckMinutes accepts minutes that hold every member's view, the head's last, a valid
// decision, a reason when the head departs from the majority, recorded by
// someone other than the head, before approval.
func (r *Record) CheckMinutes(a Actor, m Minutes) error {
	if err := firstError(
		requireRole(a, "记录会议纪要", RoleMeetingSecretary),
		r.requireSecretary(a, "记录会议纪要", false),
		r.requireStage("记录会议纪要", StageCollectiveDiscussion),
		failedIf(r.Meeting == nil, "尚未安排会议", "no meeting is scheduled"),
	); err != nil {
		return err
	}
	mt := r.Meeting
	return firstError(
		ruleIf(mt.Approved, EConflict, "R-28", "纪要已定稿，不得修改", "the minutes are approved and may not change"),
		ruleIf(SameName(a.ID, mt.Head), EPermissionDenied, "R-36", "行政首长不得独自记录对其作出评判的纪要", "the head may not record the minutes alone"),
		r.checkR25Quorum(mt, m),
		checkR26Views(mt, m),
		checkR27Decision(m.Decision),
		checkR26Departure(mt, m),
		r.checkR22LegalRisks(m),
		required(m.Document, "纪要文本", "minutes document"),
		required(m.Signature, "签名", "signature"),
	)
}

// checkR25Quorum: where the rulebook sets a quorum, the minutes list who attended — members
// of the meeting, each once, the head among them and not alone — and they are more than the
// quorum's share of the members.
func (r *Record) checkR25Quorum(mt *Meeting, m Minutes) error {
	if _, ok := r.Rulebook.MeetingComposition[mt.Kind]; !ok {
		return nil // a rulebook from before meetings had a quorum
	}
	if len(m.Attended) == 0 {
		return ruleError(EInvalid, "R-25", "纪要须载明出席会议的组成人员", "the minutes must list who attended")
	}
	for i, member := range m.Attended {
		if !containsName(mt.Members, member) || containsName(m.Attended[:i], member) {
			return ruleError(EInvalid, "R-25", "出席人 %q 不是会议组成人员或重复", "attendee %q: not a member of the meeting, or named twice", member)
		}
	}
	if err := firstError(
		ruleIf(!containsName(m.Attended, mt.Head), EInvalid, "R-25", "行政首长未出席，会议不能作出决定", "the head did not attend; the meeting cannot decide"),
		ruleIf(len(m.Attended) < 2, EInvalid, "R-25", "行政首长一人不构成会议", "the head alone is no meeting"),
	); err != nil {
		return err
	}
	// More than the share: the next whole number above it (the epsilon absorbs float error).
	need := int(float64(len(mt.Members))*r.Rulebook.MeetingQuorum+1e-9) + 1
	if len(m.Attended) < need {
		return ruleError(EInvalid, "R-25", "出席 %d 人，不足法定人数（%d 名组成人员中须至少 %d 人出席）",
			"%d attended, below the quorum (at least %[3]d of the %[2]d members)", len(m.Attended), len(mt.Members), need)
	}
	return nil
}

// checkR22LegalRisks: where the legality opinion before the meeting found an exploratory
// reform, the minutes hold the legal risks it stated, as their own item naming that opinion,
// and how the meeting considered them.
func (r *Record) checkR22LegalRisks(m Minutes) error {
	if r.Legality.Outcome != OutcomeExploratory {
		return nil
	}
	lr := m.LegalRisks
	if lr == nil || Blank(lr.Risks) || Blank(lr.Consideration) {
		return ruleError(EInvalid, "R-22", "探索性改革事项的纪要须单列合法性审查意见明示的法律风险，并载明会议对其的研究",
			"for an exploratory reform the minutes must hold, as their own item, the legal risks the legality opinion stated and how the meeting considered them")
	}
	if NormalName(lr.Opinion) != NormalName(r.Legality.Report) {
		return ruleError(EInvalid, "R-22", "纪要所列法律风险须出自提交会议的合法性审查意见（%s）",
			"the legal risks in the minutes must be those of the legality opinion before the meeting (%s)", r.Legality.Report)
	}
	// The risks as the package carried them, in the opinion's words (white space aside);
	// a meeting scheduled before the package carried them is held to the opinion's name only.
	if stated := r.Meeting.StatedRisks; stated != nil && NormalName(lr.Risks) != NormalName(stated.Risks) {
		return ruleError(EInvalid, "R-22", "纪要所列法律风险须与合法性审查意见明示、随上会材料提交的法律风险一致：%s",
			"the legal risks in the minutes must be those the legality opinion stated, as the meeting package carried them: %s", stated.Risks)
	}
	return nil
}

// checkR26Views: the minutes hold one view of each member who attended — of every member,
// where the minutes list no attendance (decisions from before attendance was recorded) — and
// the head's view comes last.
func checkR26Views(mt *Meeting, m Minutes) error {
	present := m.Attended
	if len(present) == 0 {
		present = mt.Members
	}
	if len(m.Views) == 0 || len(m.Views) != len(present) {
		return ruleError(EInvalid, "R-26", "纪要须载明每位出席成员的意见（应 %d 条）", "the minutes must hold each attending member's view (%d expected)", len(present))
	}
	for i, v := range m.Views {
		if !containsName(present, v.Member) || slices.ContainsFunc(m.Views[:i], func(w View) bool { return SameName(w.Member, v.Member) }) {
			return ruleError(EInvalid, "R-26", "意见人 %s 未出席会议或重复", "view by %s: not an attending member, or repeated", v.Member)
		}
		if v.Position != DecisionApprove && v.Position != DecisionReject && v.Position != DecisionRevise {
			return ruleError(EInvalid, "R-26", "意见须为 approve、reject 或 revise", "a view must be approve, reject or revise")
		}
	}
	if !SameName(m.Views[len(m.Views)-1].Member, mt.Head) {
		return ruleError(EInvalid, "R-26", "行政首长的意见须最后发表", "the head's view comes last")
	}
	return nil
}

func checkR27Decision(d string) error {
	valid := []string{DecisionApprove, DecisionReject, DecisionRevise, DecisionDefer, DecisionRediscuss}
	return ruleIf(!slices.Contains(valid, d), EInvalid, "R-27", "决定须为 approve、reject、revise、defer 或 rediscuss",
		"the decision must be approve, reject, revise, defer or rediscuss")
}

// checkR26Departure: the head's own view in the minutes is the decision the head records,
// where that decision is a position (approve, reject, revise); and a head who decides against
// the majority — a position held by more than half of the other members' views; a tie is no
// majority — states the reason.
func checkR26Departure(mt *Meeting, m Minutes) error {
	positions := []string{DecisionApprove, DecisionReject, DecisionRevise}
	counts, others := map[string]int{}, 0
	for _, v := range m.Views {
		if SameName(v.Member, mt.Head) {
			if slices.Contains(positions, m.Decision) && v.Position != m.Decision {
				return ruleError(EInvalid, "R-26", "行政首长在纪要中的意见（%s）与其作出的决定（%s）不一致",
					"the head's view in the minutes (%s) is not the decision the head records (%s)", v.Position, m.Decision)
			}
			continue
		}
		counts[v.Position]++
		others++
	}
	majority := ""
	for _, p := range positions {
		if 2*counts[p] > others {
			majority = p
		}
	}
	departs := majority != "" && m.Decision != majority && slices.Contains(positions, m.Decision)
	return ruleIf(departs && Blank(m.Reason), EInvalid, "R-26", "行政首长的决定与多数意见不一致，须说明理由",
		"the head departs from the majority and must state the reason")
}

// ApplyMinutes records the minutes.
func (r *Record) ApplyMinutes(a Actor, m Minutes, at time.Time) {
	m.Recorder = a.ID
	r.Meeting.Minutes = &m
	r.Note(at, "minutes", a.ID, false, m.Decision)
}

// CheckApproveMinutes lets the head approve recorded minutes.
func (r *Record) CheckApproveMinutes(a Actor) error {
	return firstError(
		requireRole(a, "审定会议纪要", RoleHead),
		r.requireStage("审定会议纪要", StageCollectiveDiscussion),
		failedIf(r.Meeting == nil || r.Meeting.Minutes == nil, "尚无会议纪要", "no minutes recorded"),
		conflictIf(r.Meeting != nil && r.Meeting.Approved, "纪要已定稿", "the minutes are already approved"),
		invalidIf(r.Meeting != nil && r.Meeting.Head != a.ID, "只有主持会议的行政首长可审定纪要", "only the presiding head approves the minutes"),
	)
}

// ApplyApproveMinutes freezes the minutes and routes on the head's decision.
func (r *Record) ApplyApproveMinutes(a Actor, at time.Time) {
	r.Meeting.Approved = true
	switch r.Meeting.Minutes.Decision {
	case DecisionApprove:
		_ = r.moveTo(StagePartyReport)
	case DecisionReject:
		_ = r.moveTo(StageClosed)
	case DecisionRevise:
		// The draft goes back for revision: its legality opinion no longer carries it.
		r.void(ProcLegality)
		_ = r.moveTo(StageDrafting)
	}
	r.Note(at, "minutes_approved", a.ID, false, r.Meeting.Minutes.Decision)
}
