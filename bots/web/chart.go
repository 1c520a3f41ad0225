package web

import (
	"fmt"
	"html/template"
	"strings"

	"tracegate/core"
	"tracegate/locales"
)

// bars draws counts as an inline SVG bar chart, server-side: no script,
// no library, a few hundred bytes. Each bar carries its date and number
// as a title for anyone who points at it.
func bars(counts []core.Count, label string) template.HTML {
	const w, h, pad = 600, 160, 20
	var peak int64 = 1
	for _, c := range counts {
		peak = max(peak, c.N)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`, w, h+pad, template.HTMLEscapeString(label))
	step := float64(w) / float64(max(len(counts), 1))
	for i, c := range counts {
		bh := float64(h) * float64(c.N) / float64(peak)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %d</title></rect>`,
			float64(i)*step+1, float64(h)-bh, step-2, bh, locales.Date(c.Start), c.N)
	}
	if len(counts) > 0 {
		fmt.Fprintf(&b, `<text x="0" y="%d">%s</text><text x="%d" y="%d" text-anchor="end">%s</text>`,
			h+pad-4, locales.Date(counts[0].Start), w, h+pad-4, locales.Date(counts[len(counts)-1].Start))
	}
	fmt.Fprintf(&b, `<text x="4" y="14">max %d</text></svg>`, peak)
	return template.HTML(b.String())
}
