package web

import (
	"html/template"
	"strings"

	"tracegate/core"
	"tracegate/locales"
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
		if n, ok := data["Count"].(int); ok { // a template names its plural count Count
			return locales.Print(lang, id, data, n)
		}
		return locales.Print(lang, id, data)
	},
	"date": locales.Date,
	"bars": bars,
	"inc":  func(i int) int { return i + 1 },
	"qty":  locales.Quantity,
	"step": locales.Step,
	"stars": func(n *int) string {
		if n == nil {
			return ""
		}
		return strings.Repeat("★", *n)
	},
}
