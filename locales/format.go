package locales

import (
	"strings"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh on machines without a zone database

	"tracegate/core"
)

// VietnamZone names the one time zone of the system, for Go and for SQL's
// AT TIME ZONE alike: dates are told, and the agency's days and weeks
// counted, in Vietnam.
const VietnamZone = "Asia/Ho_Chi_Minh"

// Vietnam is VietnamZone loaded. The embedded zone database means it
// always loads; the fixed offset (Vietnam keeps no summer time) is only a
// guard.
var Vietnam = func() *time.Location {
	loc, err := time.LoadLocation(VietnamZone)
	if err != nil {
		return time.FixedZone("ICT", 7*60*60)
	}
	return loc
}()

// Date writes dd/mm/yyyy in Vietnam's time, in either language.
func Date(t time.Time) string { return t.In(Vietnam).Format("02/01/2006") }

// Clock is a time of day as people in Vietnam read it: 16:05.
func Clock(t time.Time) string { return t.In(Vietnam).Format("15:04") }

// Quantity writes an amount the way the reader writes numbers, a decimal
// comma in Vietnamese, with its unit's name.
func Quantity(lang core.Lang, q *core.Quantity) string {
	if q == nil {
		return ""
	}
	value := q.Value
	if lang == core.LangVI {
		value = strings.Replace(value, ".", ",", 1)
	}
	return value + " " + Print(lang, UnitID(q.Unit), nil)
}

// Step is a diary step's name in lang.
func Step(lang core.Lang, s core.Step) string { return Print(lang, StepID(s), nil) }

// StepID and UnitID are the messages naming a diary step and a unit, looked
// up by key so that a new step or unit needs only its two messages.
func StepID(s core.Step) string { return "step." + string(s) }

// UnitID is the message naming unit u.
func UnitID(u core.Unit) string { return "unit." + string(u) }
