package web

import (
	"slices"

	"decisionflow/procedure"
)

// stageBox is one statutory stage on the stage map.
type stageBox struct {
	Label Text
	// Status is na (not applicable), waiting, running, done or returned.
	Status string
	// Current marks the stage the decision stands in.
	Current bool
	// Note explains the status, e.g. the recorded finding that a procedure does not apply.
	Note string
	// X, Y place the box on the map; parallel procedures share an X.
	X, Y int
}

// Box sizes on the stage map, in SVG units.
const (
	boxW, boxH, gapX, gapY = 108, 40, 20, 10
)

var linearStages = []struct {
	stage procedure.Stage
	label Text
}{
	{procedure.StageStart, T("启动", "Start")},
	{procedure.StageDrafting, T("起草", "Drafting")},
	{procedure.StageConsultation, T("", "")}, // the parallel procedures' column
	{procedure.StageLegalityReview, T("合法性审查", "Legality review")},
	{procedure.StageCollectiveDiscussion, T("集体讨论", "Collective discussion")},
	{procedure.StagePartyReport, T("党委请示", "Party report")},
	{procedure.StagePublication, T("公布", "Publication")},
	{procedure.StageArchive, T("归档", "Archive")},
	{procedure.StageImplementation, T("实施与评估", "Implementation")},
}

// stageMap lays out the statutory stages of a decision: the stages in order, with public
// participation, expert argumentation, risk assessment and the fair-competition review side by
// side in one column, each with its status as the record shows it.
func stageMap(r procedure.Record) []stageBox {
	order := slices.IndexFunc(linearStages, func(s struct {
		stage procedure.Stage
		label Text
	}) bool {
		return s.stage == r.Decision.Stage
	})
	closed := r.Decision.Stage == procedure.StageClosed
	var out []stageBox
	x := 0
	for i, s := range linearStages {
		if s.stage == procedure.StageConsultation {
			runs := []struct {
				label Text
				run   procedure.Run
				ex    procedure.Exemption
			}{
				{T("公众参与", "Participation"), r.Participation, exemption(r, procedure.ProcParticipation)},
				{T("专家论证", "Expert argumentation"), r.Expert, exemption(r, procedure.ProcExpert)},
				{T("风险评估", "Risk assessment"), r.Risk, exemption(r, procedure.ProcRisk)},
				{T("公平竞争审查", "Fair competition"), r.FairCompetition, exemption(r, procedure.ProcFairCompetition)},
			}
			for j, p := range runs {
				b := stageBox{Label: p.label, X: x, Y: j * (boxH + gapY), Status: runStatus(p.run, r.Start != nil), Current: p.run.Running}
				if b.Status == "na" {
					b.Note = p.ex.Finding
				}
				out = append(out, b)
			}
			x += boxW + gapX
			continue
		}
		b := stageBox{Label: s.label, X: x, Y: (boxH + gapY) * 3 / 2, Current: i == order}
		switch {
		case closed || (order >= 0 && i < order):
			b.Status = "done"
		case i == order:
			b.Status = "running"
		default:
			b.Status = "waiting"
		}
		if s.stage == procedure.StageLegalityReview && r.Legality.Outcome == procedure.OutcomeReturned {
			b.Status = "returned"
		}
		out = append(out, b)
		x += boxW + gapX
	}
	return out
}

// exemption is the start decision's finding on whether a procedure applies.
func exemption(r procedure.Record, proc string) procedure.Exemption {
	if r.Start == nil {
		return procedure.Exemption{}
	}
	switch proc {
	case procedure.ProcParticipation:
		return r.Start.Applicability.Participation
	case procedure.ProcExpert:
		return r.Start.Applicability.Expert
	case procedure.ProcRisk:
		return r.Start.Applicability.Risk
	}
	return r.Start.Applicability.FairCompetition
}

func runStatus(run procedure.Run, started bool) string {
	switch {
	case !started:
		return "waiting"
	case !run.Required:
		return "na"
	case run.Running:
		return "running"
	case run.Done:
		return "done"
	case len(run.Results) > 0:
		return "returned"
	}
	return "waiting"
}

// mapWidth is the stage map's width in SVG units.
func mapWidth(boxes []stageBox) int {
	w := 0
	for _, b := range boxes {
		w = max(w, b.X+boxW)
	}
	return w
}

var statusNames = map[string]Text{
	"na":       T("不适用", "not applicable"),
	"waiting":  T("未开始", "waiting"),
	"running":  T("进行中", "running"),
	"done":     T("已完成", "done"),
	"returned": T("退回/需重做", "returned"),
}
