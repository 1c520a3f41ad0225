package dialog

import (
	"time"

	"tracegate/core"
	"tracegate/locales"
)

// formatDate writes dd/mm/yyyy in Vietnam's time, as every adapter does.
func formatDate(t time.Time) string { return locales.Date(t) }

// formatQuantity writes an amount the way the reader writes numbers: a
// decimal comma in Vietnamese.
func formatQuantity(lang core.Lang, q *core.Quantity) string { return locales.Quantity(lang, q) }

func stepLabel(s core.Step) msgID { return msgID(locales.StepID(s)) }

func unitLabel(u core.Unit) msgID { return msgID(locales.UnitID(u)) }
