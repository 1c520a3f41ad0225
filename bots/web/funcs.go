package web

import (
	"html/template"
	"strings"

	"tracegate/locales"
)

// funcs are the templates' helpers: t localises a message from locales/.
var funcs = template.FuncMap{
	"t":    locales.Pairs,
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
