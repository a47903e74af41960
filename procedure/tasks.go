package procedure

import (
	"slices"
	"strconv"
)

// Drafters are the people who run or draft the decision for the undertaking unit.
func (r *Record) Drafters() []string {
	var out []string
	if r.Start != nil {
		out = append(out, r.Start.Officials...)
	}
	for _, d := range r.Drafts {
		if !slices.Contains(out, d.SubmittedBy) {
			out = append(out, d.SubmittedBy)
		}
	}
	return out
}

// Tasks lists what the decision waits for now at its own level; while procedure workflows run
// (consultation, legality review, implementation) they list the tasks, not the decision, so no
// task is listed twice.
func (r *Record) Tasks() []Task {
	switch r.Decision.Stage {
	case StageStart:
		return []Task{{Act: "start_decision", Role: RoleHead}}
	case StageDrafting:
		return r.draftingTasks()
	case StageConsultation, StageLegalityReview:
		return []Task{}
	case StageImplementation:
		// The implementation workflow lists its own tasks; the archive handover is the decision's.
		if r.Publication != nil && r.Archive == nil {
			return []Task{{Act: "archive_handover", Role: RoleOfficial, Due: r.ArchiveDue}}
		}
		return []Task{}
	case StageCollectiveDiscussion:
		return r.meetingTasks()
	case StagePartyReport:
		if r.PartyReport != nil && r.PartyReport.Answer == nil {
			return []Task{{Act: "party_answer", Role: RolePartyLiaison}}
		}
		return []Task{{Act: "party_report", Role: RolePartyLiaison}}
	case StagePublication:
		return []Task{{Act: "publication", Role: RoleOfficial}}
	case StageArchive:
		return []Task{{Act: "archive_handover", Role: RoleOfficial, Due: r.ArchiveDue}}
	}
	return []Task{}
}

func (r *Record) draftingTasks() []Task {
	officials := []string{}
	if r.Start != nil {
		officials = r.Start.Officials
	}
	tasks := []Task{{Act: "draft", Role: RoleOfficial, Assignees: officials}}
	if r.DraftVersion() == 0 {
		return tasks
	}
	if len(r.Pending()) > 0 {
		tasks = append(tasks, Task{Act: "open_consultation", Role: RoleOfficial, Assignees: officials})
	}
	if !r.Satisfied(ProcFairCompetition) {
		tasks = append(tasks, Task{Act: "fair_competition_review", Role: RoleOfficial, Assignees: officials})
	}
	if len(r.Pending()) == 0 {
		tasks = append(tasks, Task{Act: "legality_submission", Role: RoleOfficial, Assignees: officials})
	}
	return tasks
}

func (r *Record) meetingTasks() []Task {
	switch {
	case r.Meeting == nil || r.Meeting.Approved:
		return []Task{{Act: "schedule_meeting", Role: RoleMeetingSecretary}}
	case r.Meeting.Minutes == nil:
		return []Task{{Act: "minutes", Role: RoleMeetingSecretary}}
	}
	return []Task{{Act: "approve_minutes", Role: RoleHead, Assignees: []string{r.Meeting.Head}}}
}

// Tasks lists what a participation round waits for.
func (p *Participation) Tasks() []Task {
	switch {
	case p.Notice == nil:
		return []Task{{Act: "notice", Role: RoleOfficial}}
	case p.Report != nil:
		return []Task{}
	}
	tasks := []Task{}
	for i, h := range p.Hearings {
		var waiting []string
		for _, id := range h.Participants {
			if !slices.Contains(h.Confirmed, id) {
				waiting = append(waiting, id)
			}
		}
		if len(waiting) > 0 {
			tasks = append(tasks, Task{Act: "confirm_hearing#" + strconv.Itoa(i), Assignees: waiting})
		}
	}
	if groups := p.UnconsultedGroups(); len(groups) > 0 {
		tasks = append(tasks, Task{Act: "group_consultation", Role: RoleOfficial, Assignees: p.Officials})
	}
	if p.PeriodClosed {
		tasks = append(tasks, Task{Act: "adoption_report", Role: RoleOfficial})
	}
	return tasks
}

// Tasks lists what an argumentation round waits for.
func (x *Argumentation) Tasks() []Task {
	switch {
	case x.Panel == nil:
		return []Task{{Act: "panel", Role: RoleOfficial}}
	case x.Report != "":
		return []Task{}
	}
	var waiting []string
	for _, e := range x.Panel.Experts {
		if !slices.ContainsFunc(x.Opinions, func(o ExpertOpinion) bool { return o.Expert == e.ID }) {
			waiting = append(waiting, e.ID)
		}
	}
	if len(waiting) > 0 {
		return []Task{{Act: "expert_opinion", Role: RoleExpert, Assignees: waiting, Due: x.Due}}
	}
	return []Task{{Act: "expert_report", Role: RoleOfficial}}
}

// Tasks lists what an assessment round waits for.
func (x *Assessment) Tasks() []Task {
	if x.Report != nil {
		return []Task{}
	}
	return []Task{{Act: "risk_report", Role: RoleRiskAssessor}}
}

// Tasks lists what a legality review round waits for.
func (l *Legality) Tasks() []Task {
	switch {
	case l.Opinion != nil || l.Returned != nil:
		return []Task{}
	case l.WaitingSince != nil:
		return []Task{{Act: "provide_materials", Role: RoleOfficial, Assignees: l.Drafters}}
	case len(l.Advisers) == 0:
		return []Task{{Act: "adviser_opinion", Role: RoleLegalAdviser}, {Act: "legality_opinion", Role: RoleLegalCounsel, Due: l.Due}}
	}
	return []Task{{Act: "legality_opinion", Role: RoleLegalCounsel, Due: l.Due}}
}

// Tasks lists what the implementation stage waits for; due is the next report's due date.
func (m *Implementation) Tasks(due *Deadline) []Task {
	if Blank(m.ExecutionUnit) {
		return []Task{{Act: "execution_unit", Role: RoleOfficial}}
	}
	tasks := []Task{{Act: "implementation_report", Role: RoleOfficial, Due: due}}
	if m.Evaluation != nil {
		tasks = append(tasks, Task{Act: "evaluation_report", Role: RoleOfficial})
	}
	return tasks
}
