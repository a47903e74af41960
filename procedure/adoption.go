package procedure

import (
	"fmt"
	"strings"
	"time"
)

// AdoptionSummary is the content of the adoption report: how the comments of one
// round were disposed of, by clause, with the reasons given and the largest clusters.
type AdoptionSummary struct {
	// Decision is the decision number.
	Decision string `json:"decision"`
	// Title is the decision's title.
	Title string `json:"title"`
	// Round is the participation round.
	Round int `json:"round"`
	// DraftVersion is the draft consulted on.
	DraftVersion int `json:"draft_version"`
	// Opens is the first day of the comment period as published.
	Opens Date `json:"opens"`
	// Closes is the last day of the period.
	Closes Date `json:"closes"`
	// Digest is the digest of the comments counted at the close.
	Digest string `json:"digest"`
	// Totals counts every comment by disposition.
	Totals DispositionCounts `json:"totals"`
	// ByClause counts by clause of the draft (0 is the draft as a whole).
	ByClause []ClauseCounts `json:"by_clause"`
	// Reasons are the reasons given, most frequent first.
	Reasons []ReasonCount `json:"reasons"`
	// Clusters are the largest clusters; texts only where their authors allowed publication.
	Clusters []Cluster `json:"clusters"`
	// GeneratedAt is when the report was generated.
	GeneratedAt time.Time `json:"generated_at"`
}

// DispositionCounts counts comments by disposition.
type DispositionCounts struct {
	// Comments is the number of comments.
	Comments int64 `json:"comments"`
	// Adopted counts comments adopted.
	Adopted int64 `json:"adopted"`
	// PartlyAdopted counts comments partly adopted.
	PartlyAdopted int64 `json:"partly_adopted"`
	// NotAdopted counts comments not adopted.
	NotAdopted int64 `json:"not_adopted"`
	// Undisposed counts comments without a disposition; the report requires none.
	Undisposed int64 `json:"undisposed"`
	// NotAdoptedWithoutReason counts comments not adopted without a reason; must be zero.
	NotAdoptedWithoutReason int64 `json:"not_adopted_without_reason"`
}

// Add counts n comments of disposition d with a reason or not.
func (c *DispositionCounts) Add(d Disposition, hasReason bool, n int64) {
	c.Comments += n
	switch d {
	case Adopted:
		c.Adopted += n
	case PartlyAdopted:
		c.PartlyAdopted += n
	case NotAdopted:
		c.NotAdopted += n
		if !hasReason {
			c.NotAdoptedWithoutReason += n
		}
	default:
		c.Undisposed += n
	}
}

// ClauseCounts counts the comments on one clause.
type ClauseCounts struct {
	// Clause is the clause number; 0 for the draft as a whole.
	Clause int `json:"clause"`
	// Heading is the clause's heading, if known.
	Heading string `json:"heading,omitempty"`
	DispositionCounts
}

// ReasonCount is a reason and how many comments it was given for.
type ReasonCount struct {
	// Disposition is the disposition the reason explains.
	Disposition Disposition `json:"disposition"`
	// Reason is the text.
	Reason string `json:"reason"`
	// Comments is how many comments it was given for.
	Comments int64 `json:"comments"`
}

// CheckComplete applies R-10 to the summary: every comment disposed of, every not-adopted
// one with a reason.
func (s AdoptionSummary) CheckComplete() error {
	return firstError(
		ruleIf(s.Totals.Undisposed > 0, EInvalid, "R-10", fmt.Sprintf("尚有 %d 条意见未处理", s.Totals.Undisposed),
			fmt.Sprintf("%d comments have no disposition yet", s.Totals.Undisposed)),
		ruleIf(s.Totals.NotAdoptedWithoutReason > 0, EInvalid, "R-10", "不予采纳的意见须说明理由", "every comment not adopted needs a reason"),
	)
}

// Report is the act payload of the summary: its figures and the hash of its document.
func (s AdoptionSummary) Report(document string) AdoptionReport {
	return AdoptionReport{Document: document, Comments: int(s.Totals.Comments), Adopted: int(s.Totals.Adopted),
		PartlyAdopted: int(s.Totals.PartlyAdopted), NotAdopted: int(s.Totals.NotAdopted),
		NotAdoptedWithoutReason: int(s.Totals.NotAdoptedWithoutReason)}
}

var dispositionNames = map[Disposition]string{Adopted: "采纳", PartlyAdopted: "部分采纳", NotAdopted: "不予采纳"}

// Markdown renders the report as the document filed and published: Chinese, with figures
// the reader can check against the JSON form.
func (s AdoptionSummary) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# 《%s》公众意见采纳情况报告\n\n", s.Title)
	fmt.Fprintf(&b, "决策编号：%s　第 %d 轮征求意见（草案第 %d 稿）\n\n", s.Decision, s.Round, s.DraftVersion)
	fmt.Fprintf(&b, "征求意见期：%s 至 %s　意见摘要值：`%s`\n\n", s.Opens, s.Closes, s.Digest)
	t := s.Totals
	fmt.Fprintf(&b, "## 总体情况\n\n共收到意见 %d 条，其中采纳 %d 条，部分采纳 %d 条，不予采纳 %d 条。\n\n",
		t.Comments, t.Adopted, t.PartlyAdopted, t.NotAdopted)
	b.WriteString("## 按条款统计\n\n| 条款 | 意见数 | 采纳 | 部分采纳 | 不予采纳 |\n|---|---:|---:|---:|---:|\n")
	for _, c := range s.ByClause {
		name := "草案整体"
		if c.Clause > 0 {
			name = fmt.Sprintf("第 %d 条", c.Clause)
			if c.Heading != "" {
				name = c.Heading
			}
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", name, c.Comments, c.Adopted, c.PartlyAdopted, c.NotAdopted)
	}
	b.WriteString("\n## 处理理由\n\n| 处理结果 | 理由 | 意见数 |\n|---|---|---:|\n")
	for _, r := range s.Reasons {
		fmt.Fprintf(&b, "| %s | %s | %d |\n", dispositionNames[r.Disposition], cell(r.Reason), r.Comments)
	}
	b.WriteString("\n## 主要意见（相同或相近意见合并）\n\n| 意见数 | 代表性意见 | 处理结果 |\n|---:|---|---|\n")
	for _, c := range s.Clusters {
		text := "（意见人未同意公开）"
		if c.Publish {
			text = cell(c.Text)
		}
		fmt.Fprintf(&b, "| %d | %s | %s |\n", c.Size, text, dispositionNames[c.Disposition])
	}
	fmt.Fprintf(&b, "\n生成时间：%s\n", s.GeneratedAt.In(China).Format("2006-01-02 15:04:05"))
	return b.String()
}

// cell makes text safe in one Markdown table cell.
func cell(s string) string {
	s = strings.NewReplacer("|", "｜", "\n", " ").Replace(s)
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}
