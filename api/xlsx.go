package api

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
)

// xlsxType is the media type of an Office Open XML workbook, the exports' format=xlsx.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// column is one column of an exported table: its heading in Chinese, its name as the CSV
// header writes it, and its width in characters.
type column struct {
	zh, name string
	width    float64
}

// columnNames are the CSV header of cols.
func columnNames(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}

// headerRows is how many rows of a workbook head its table: Chinese above the CSV's names.
const headerRows = 2

// sheet writes a one-sheet workbook a row at a time with excelize's StreamWriter, which keeps
// only a window of rows in memory and spills the rest to a temporary file, so a round's
// million comments export in bounded memory.
type sheet struct {
	file   *excelize.File
	stream *excelize.StreamWriter
	row    int
	// moment is the cell style of a time, shown in Beijing time.
	moment int
}

// newSheet starts a workbook with cols as its frozen header.
func newSheet(cols []column) (*sheet, error) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter(f.GetSheetName(0))
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("start workbook: %w", err)
	}
	s := &sheet{file: f, stream: sw}
	if err := s.start(cols); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("start workbook: %w", err)
	}
	return s, nil
}

func (s *sheet) start(cols []column) error {
	var err error
	momentFmt := "yyyy-mm-dd hh:mm:ss"
	if s.moment, err = s.file.NewStyle(&excelize.Style{CustomNumFmt: &momentFmt}); err != nil {
		return err
	}
	bold, err := s.file.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, c := range cols {
		if err := s.stream.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := s.stream.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRows, TopLeftCell: fmt.Sprintf("A%d", headerRows+1),
		ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	zh, names := make([]any, len(cols)), make([]any, len(cols))
	for i, c := range cols {
		zh[i], names[i] = excelize.Cell{StyleID: bold, Value: c.zh}, c.name
	}
	if err := s.add(zh...); err != nil {
		return err
	}
	return s.add(names...)
}

// add writes the next row. Strings stay text (a comment starting with = is never a formula);
// a time.Time becomes a date-time cell in Beijing time.
func (s *sheet) add(cells ...any) error {
	for i, v := range cells {
		if t, ok := v.(time.Time); ok {
			cells[i] = excelize.Cell{StyleID: s.moment, Value: beijingWall(t)}
		}
	}
	s.row++
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.stream.SetRow(cell, cells)
}

// sendSheet answers the workbook as an attachment named name and discards it. Until the
// workbook is complete nothing is sent, so a failure is still a problem answer.
func (s *Server) sendSheet(c echo.Context, sh *sheet, name string) error {
	defer sh.close()
	if err := sh.stream.Flush(); err != nil {
		return fmt.Errorf("finish workbook: %w", err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, xlsxType)
	h.Set(echo.HeaderContentDisposition, downloadAs(name))
	c.Response().WriteHeader(http.StatusOK)
	_, err := sh.file.WriteTo(c.Response())
	return s.streamError(c, err)
}

// close discards the workbook.
func (s *sheet) close() { _ = s.file.Close() }

// beijingWall is t's Beijing wall-clock time in a zone-less form: spreadsheet dates carry no
// zone, and excelize writes the wall clock it is given.
func beijingWall(t time.Time) time.Time {
	b := t.In(beijing)
	return time.Date(b.Year(), b.Month(), b.Day(), b.Hour(), b.Minute(), b.Second(), b.Nanosecond(), time.UTC)
}

// beijing is the zone the procedure's dates are counted in.
var beijing = time.FixedZone("CST", 8*3600)

// downloadAs is a Content-Disposition naming a download, with the UTF-8 form for names that
// are not ASCII.
func downloadAs(name string) string {
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, name, url.PathEscape(name))
}
