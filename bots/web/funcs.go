package web

import (
	"html/template"
	"strings"
	"time"

	"tracegate/bots/dialog"
	"tracegate/core"
)

// funcs are the templates' helpers: t localises a message from locales/.
var funcs = template.FuncMap{
	"t": func(lang core.Lang, id string, kv ...any) string {
		data := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			if k, ok := kv[i].(string); ok {
				data[k] = kv[i+1]
			}
		}
		s, err := dialog.Localize(lang, id, data)
		if err != nil {
			return id
		}
		return s
	},
	"date": func(t time.Time) string { return dialog.FormatDate(t) },
	"bars": bars,
	"inc":  func(i int) int { return i + 1 },
	"qty":  func(lang core.Lang, q *core.Quantity) string { return dialog.FormatQuantity(lang, q) },
	"step": func(lang core.Lang, s core.Step) string { return dialog.StepName(lang, s) },
	"stars": func(n *int) string {
		if n == nil {
			return ""
		}
		return strings.Repeat("★", *n)
	},
}
