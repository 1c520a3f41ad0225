package dialog

import (
	"strings"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh on machines without a zone database

	"tracegate/core"
)

// vietnam is the time zone every date is told in.
var vietnam = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*60*60)
	}
	return loc
}()

// formatDate writes dd/mm/yyyy in Vietnam's time.
func formatDate(t time.Time) string { return t.In(vietnam).Format("02/01/2006") }

// formatQuantity writes an amount the way the reader writes numbers: a
// decimal comma in Vietnamese.
func formatQuantity(lang core.Lang, q *core.Quantity) string {
	if q == nil {
		return ""
	}
	value := q.Value
	if lang == core.LangVI {
		value = strings.Replace(value, ".", ",", 1)
	}
	return value + " " + T(lang, unitLabel(q.Unit), nil)
}

func stepLabel(s core.Step) msgID { return msgID("step." + string(s)) }

func unitLabel(u core.Unit) msgID { return msgID("unit." + string(u)) }
