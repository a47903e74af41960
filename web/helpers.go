package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"decisionflow/procedure"
	"decisionflow/store"
)

func urlEscape(s string) string { return url.QueryEscape(s) }

func rolesText(ctx context.Context, roles []procedure.Role) string {
	names := make([]string, 0, len(roles))
	for _, r := range roles {
		names = append(names, tr(ctx, roleName(r)))
	}
	return strings.Join(names, "、")
}

func statusText(status int) string { return strconv.Itoa(status) + " " + http.StatusText(status) }

func inputID(f actForm, fld formField) string {
	return f.Act.Update + "-" + strconv.Itoa(f.Round) + "-" + strings.ReplaceAll(fld.Name, ".", "-")
}

func stepOf(kind string) string {
	if kind == "number" {
		return "any"
	}
	return "1"
}

// isDocument tells a field that cites a filed document.
func isDocument(f formField) bool {
	last := f.Key[strings.LastIndex(f.Key, ".")+1:]
	switch last {
	case "document", "draft", "record", "adoption_report", "alternatives":
		return f.Kind == "text"
	}
	return false
}

func sep(u string) string {
	if strings.Contains(u, "?") {
		return "&"
	}
	return "?"
}

type csrfKey struct{}

// csrfOf is the session's CSRF token, which the page put in the request's context.
func csrfOf(ctx context.Context) string {
	s, _ := ctx.Value(csrfKey{}).(string)
	return s
}

// stageNames name the stages.
var stageNames = map[procedure.Stage]Text{
	procedure.StageStart:                T("启动", "start"),
	procedure.StageDrafting:             T("起草", "drafting"),
	procedure.StageConsultation:         T("征求意见与论证评估", "consultation"),
	procedure.StageLegalityReview:       T("合法性审查", "legality review"),
	procedure.StageCollectiveDiscussion: T("集体讨论决定", "collective discussion"),
	procedure.StagePartyReport:          T("党委请示报告", "Party report"),
	procedure.StagePublication:          T("公布", "publication"),
	procedure.StageArchive:              T("归档", "archive"),
	procedure.StageImplementation:       T("实施与评估", "implementation"),
	procedure.StageClosed:               T("已结束", "closed"),
}

var allStages = []procedure.Stage{procedure.StageStart, procedure.StageDrafting, procedure.StageConsultation, procedure.StageLegalityReview,
	procedure.StageCollectiveDiscussion, procedure.StagePartyReport, procedure.StagePublication, procedure.StageArchive,
	procedure.StageImplementation, procedure.StageClosed}

func stageName(s procedure.Stage) Text {
	if t, ok := stageNames[s]; ok {
		return t
	}
	return T(string(s), string(s))
}

func roleOf(s string) procedure.Role { return procedure.Role(s) }

func joinIDs(ids []string) string { return strings.Join(ids, "、") }

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// documentSHA reads a document reference: sha256:<hex> or a bare 64-digit hex.
func documentSHA(ref string) (string, bool) {
	sha := strings.TrimPrefix(ref, "sha256:")
	if len(sha) != 64 {
		return "", false
	}
	for _, r := range sha {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return "", false
		}
	}
	return sha, true
}

func withPage(q url.Values, page int) string {
	out := url.Values{}
	for k, v := range q {
		out[k] = v
	}
	out.Set("page", strconv.Itoa(page))
	return out.Encode()
}

// kindName names a timeline entry's kind.
func kindName(kind string) Text {
	if f, ok := forms[kind]; ok {
		return f.Title
	}
	if t, ok := eventNames[kind]; ok {
		return t
	}
	if outcome, ok := strings.CutPrefix(kind, "legality_"); ok {
		if o, ok := legalityOutcomes[outcome]; ok {
			return T("合法性审查结论："+o.ZH, "Legality review: "+o.EN)
		}
	}
	for suffix, t := range map[string]Text{"_opened": T("启动%s", "%s opened"), "_completed": T("%s完成", "%s completed"),
		"_returned": T("%s退回", "%s returned"), "_voided": T("%s结果失效", "%s result voided")} {
		if proc, ok := strings.CutSuffix(kind, suffix); ok {
			if name, ok := procNames[proc]; ok {
				return T(fmt.Sprintf(t.ZH, name.ZH), fmt.Sprintf(t.EN, name.EN))
			}
		}
	}
	return T(kind, kind)
}

func stageOf(s string) procedure.Stage { return procedure.Stage(s) }

// actAnchor is the act's form anchor on the decision page: the Update without a task's #index.
func actAnchor(act string) string {
	a, _, _ := strings.Cut(act, "#")
	return a
}

var clauseStatuses = map[string]Text{
	"unchanged": T("未改动", "unchanged"),
	"changed":   T("已修改", "changed"),
	"removed":   T("已删除", "removed"),
	"added":     T("新增", "added"),
}

func clauseStatus(s string) Text { return clauseStatuses[s] }

// legalityOutcomes name the legality review's outcomes.
var legalityOutcomes = map[string]Text{
	"lawful": T("合法", "lawful"), "revise": T("修改", "revise"), "unlawful": T("不合法", "unlawful"),
	"exploratory": T("探索性事项", "exploratory"), "returned": T("退回", "returned"),
}

var deliveryStatuses = map[string]Text{
	store.DeliveryPending: T("待发送", "pending"),
	store.DeliverySent:    T("已发送", "sent"),
	store.DeliveryFailed:  T("发送失败", "failed"),
}

func deliveryStatus(s string) Text { return deliveryStatuses[s] }
