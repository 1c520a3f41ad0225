package spreadsheet

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Vietnam writes day before month, as Excel does in a vi-VN locale.
const (
	layoutDate = "02/01/2006"
	layoutTime = "15:04"
)

// formatSerial writes an Excel serial date as f shows it. Serials outside
// the years Excel can show are not dates, and are left to be numbers.
func formatSerial(n float64, f numFmt, date1904 bool) (string, bool) {
	if math.IsNaN(n) || n < 0 || n >= 2958466 { // 2958466 is 1 January 10000
		return "", false
	}
	// Excel rounds to the second, then shows no more than the format asks:
	// 10:29:59 is 10:29 under h:mm.
	secs := int64(math.Round(n * 86400))
	if !f.seconds {
		secs -= secs % 60
	}
	if f.elapsed {
		h, m, s := secs/3600, secs/60%60, secs%60
		if f.seconds {
			return fmt.Sprintf("%d:%02d:%02d", h, m, s), true
		}
		return fmt.Sprintf("%d:%02d", h, m), true
	}
	// A Duration spans 292 years, not Excel's 8000: add days apart.
	t := excelEpoch(n, date1904).AddDate(0, 0, int(secs/86400)).Add(time.Duration(secs%86400) * time.Second)
	var layout []string
	if f.date {
		layout = append(layout, layoutDate)
	}
	if f.clock {
		l := layoutTime
		if f.seconds {
			l += ":05"
		}
		layout = append(layout, l)
	}
	return t.Format(strings.Join(layout, " ")), true
}

// excelEpoch is day 0 for serial n. Excel's 1900 system counts 29 February
// 1900, a day that did not exist (Lotus did, and Excel kept it), so serials
// from 61 on are one day further from 1 January 1900 than their number says.
// The 1904 system, from old Mac Excel, has no such day.
func excelEpoch(n float64, date1904 bool) time.Time {
	switch {
	case date1904:
		return time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case n < 61:
		return time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
}

// isoDate writes a cell of type "d", which strict OOXML and some writers
// use: an ISO 8601 date or date and time, shown the vi-VN way.
func isoDate(v string) string {
	v = strings.TrimSpace(v)
	for _, l := range []string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		t, err := time.Parse(l, v)
		if err != nil {
			continue
		}
		if len(l) == len("2006-01-02") || t.Hour()+t.Minute()+t.Second() == 0 {
			return t.Format(layoutDate)
		}
		return t.Format(layoutDate + " " + layoutTime)
	}
	return v
}
