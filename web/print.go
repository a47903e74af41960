package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"decisionflow/api"
	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// The documents people file and print render as pages in the proportions of official
// documents (GB/T 9704: A4, the type area 156 × 225 mm, 22 lines of 28 characters in 3号 仿宋),
// so that the browser's print to PDF gives a filing copy; the tables also download as XLSX.
func (w *Web) printRoutes(g *echo.Group) {
	g.GET("/decisions/:number/print/procedure", w.printProcedure)
	g.GET("/decisions/:number/print/minutes", w.printMinutes)
	g.GET("/decisions/:number/print/index", w.printIndex)
	g.GET("/decisions/:number/print/adoption/:round", w.printAdoption)
}

// printDoc is one printable document: a title and its sections.
type printDoc struct {
	Organ, Number, Title string
	Heading              string
	Paragraphs           []string
	Table                *printTable
	HTML                 string
	XLSX                 string
}

// printTable is a document's table, the same rows as its XLSX download.
type printTable struct {
	Head []string
	Rows [][]string
}

func (w *Web) record(c echo.Context) (procedure.Record, error) {
	var rec procedure.Record
	err := w.callAPI(c, http.MethodGet, "/api/v1/decisions/"+url.PathEscape(c.Param("number"))+"/record", nil, nil).decode(&rec)
	return rec, err
}

// printProcedure is the procedure statement (程序说明) the legality submission carries.
func (w *Web) printProcedure(c echo.Context) error {
	rec, err := w.record(c)
	if err != nil {
		return err
	}
	doc := docOf(rec, "关于《"+rec.Decision.Title+"》履行决策程序情况的说明")
	for _, part := range strings.Split(rec.ProcedureStatement(), "；") {
		doc.Paragraphs = append(doc.Paragraphs, part+"。")
	}
	doc.Table = &printTable{Head: []string{"程序", "是否适用", "轮次", "草案稿次", "结论"}}
	for _, p := range []struct {
		name string
		run  procedure.Run
	}{{"公众参与", rec.Participation}, {"专家论证", rec.Expert}, {"风险评估", rec.Risk}, {"公平竞争审查", rec.FairCompetition}, {"合法性审查", rec.Legality}} {
		applies := "适用"
		if !p.run.Required {
			applies = "不适用"
		}
		doc.Table.Rows = append(doc.Table.Rows, []string{p.name, applies, strconv.Itoa(p.run.Round), strconv.Itoa(p.run.DraftVersion), p.run.Outcome})
	}
	return w.printOrXLSX(c, doc, "程序说明")
}

// printMinutes is the collective discussion's minutes: every member's view, the head's last
// and the decision.
func (w *Web) printMinutes(c echo.Context) error {
	rec, err := w.record(c)
	if err != nil {
		return err
	}
	if rec.Meeting == nil || rec.Meeting.Minutes == nil {
		return echo.NewHTTPError(http.StatusNotFound, "尚无会议记录 / no minutes yet")
	}
	m, min := rec.Meeting, rec.Meeting.Minutes
	doc := docOf(rec, "《"+rec.Decision.Title+"》集体讨论会议记录")
	doc.Paragraphs = []string{
		fmt.Sprintf("会议：%s，%s；主持：%s。", map[string]string{procedure.MeetingExecutive: "政府常务会议", procedure.MeetingPlenary: "政府全体会议"}[m.Kind], m.Date, m.Head),
		"出席：" + strings.Join(min.Attended, "、") + "。",
		"决定：" + min.Decision + "。",
	}
	if min.Reason != "" {
		doc.Paragraphs = append(doc.Paragraphs, "理由："+min.Reason)
	}
	doc.Table = &printTable{Head: []string{"序号", "组成人员", "意见", "发言要点"}}
	for i, v := range min.Views {
		doc.Table.Rows = append(doc.Table.Rows, []string{strconv.Itoa(i + 1), v.Member, v.Position, v.Opinion})
	}
	return w.printOrXLSX(c, doc, "会议记录")
}

// printIndex is the dossier's index (卷内目录): every act and document in order.
func (w *Web) printIndex(c echo.Context) error {
	rec, err := w.record(c)
	if err != nil {
		return err
	}
	var timeline []api.TimelineEntry
	base := "/api/v1/decisions/" + url.PathEscape(rec.Decision.Number)
	if err := w.callAPI(c, http.MethodGet, base+"/timeline", nil, nil).decode(&timeline); err != nil {
		return err
	}
	var docs []procedure.Document
	if err := w.callAPI(c, http.MethodGet, base+"/documents", nil, nil).decode(&docs); err != nil {
		return err
	}
	doc := docOf(rec, "卷内目录")
	doc.Table = &printTable{Head: []string{"序号", "责任者", "题名", "日期", "文件（SHA-256）", "备注"}}
	n := 0
	for _, e := range timeline {
		if e.Actor == "" {
			continue
		}
		n++
		doc.Table.Rows = append(doc.Table.Rows, []string{strconv.Itoa(n), e.Actor, kindName(e.Kind).ZH, e.At.In(shanghai).Format("2006-01-02"), payloadDocument(e.Payload), e.Note})
	}
	for _, d := range docs {
		n++
		doc.Table.Rows = append(doc.Table.Rows, []string{strconv.Itoa(n), d.UploadedBy, d.Name, d.UploadedAt.In(shanghai).Format("2006-01-02"), "sha256:" + d.SHA256, d.Kind})
	}
	return w.printOrXLSX(c, doc, "卷内目录")
}

// printAdoption is a round's adoption report (采纳情况), as the engine generated and filed it.
func (w *Web) printAdoption(c echo.Context) error {
	rec, err := w.record(c)
	if err != nil {
		return err
	}
	var docs []procedure.Document
	if err := w.callAPI(c, http.MethodGet, "/api/v1/decisions/"+url.PathEscape(rec.Decision.Number)+"/documents", nil, nil).decode(&docs); err != nil {
		return err
	}
	round := c.Param("round")
	var report *procedure.Document
	for i := range docs {
		if docs[i].Kind == "adoption_report" && strings.Contains(docs[i].Name, "第"+round+"轮") {
			report = &docs[i]
		}
	}
	if report == nil {
		return echo.NewHTTPError(http.StatusNotFound, "尚无本轮意见采纳情况报告 / no adoption report for this round")
	}
	ans := w.callAPI(c, http.MethodGet, "/api/v1/documents/"+report.SHA256, nil, nil)
	if !ans.OK() {
		return ans.problem()
	}
	var html bytes.Buffer
	// Untrusted text (quoted comments) is in the report: the renderer leaves raw HTML out.
	if err := goldmark.New(goldmark.WithExtensions(extension.Table)).Convert(ans.Body(), &html); err != nil {
		return err
	}
	doc := docOf(rec, "")
	doc.HTML = html.String()
	return w.render(c, http.StatusOK, printPage(w.page(c, T("意见采纳情况报告", "Adoption report")), doc))
}

func docOf(rec procedure.Record, heading string) printDoc {
	return printDoc{Organ: rec.Decision.Organ, Number: rec.Decision.Number, Title: rec.Decision.Title, Heading: heading}
}

// printOrXLSX answers the printable page, or with ?format=xlsx its table as a workbook.
func (w *Web) printOrXLSX(c echo.Context, doc printDoc, name string) error {
	if c.QueryParam("format") != "xlsx" {
		q := c.Request().URL.Query()
		q.Set("format", "xlsx")
		doc.XLSX = c.Request().URL.Path + "?" + q.Encode()
		return w.render(c, http.StatusOK, printPage(w.page(c, T(doc.Heading, doc.Heading)), doc))
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	row := 1
	put := func(cells []string) error {
		for i, v := range cells {
			cell, err := excelize.CoordinatesToCellName(i+1, row)
			if err != nil {
				return err
			}
			// Text stays text: a cell such as "=1+1" from a person is never a formula.
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	if err := put([]string{doc.Number, doc.Title, doc.Heading}); err != nil {
		return err
	}
	for _, p := range doc.Paragraphs {
		if err := put([]string{p}); err != nil {
			return err
		}
	}
	if doc.Table != nil {
		if err := put(doc.Table.Head); err != nil {
			return err
		}
		for _, r := range doc.Table.Rows {
			if err := put(r); err != nil {
				return err
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename*=UTF-8''%s`, url.PathEscape(doc.Number+"-"+name+".xlsx")))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}
