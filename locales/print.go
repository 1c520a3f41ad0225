package locales

import (
	"fmt"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"tracegate/core"
)

// catalog is the message files read: a localizer a language, and which
// messages have plural forms.
type catalog struct {
	localizers map[core.Lang]*i18n.Localizer
	plural     map[string]bool
}

// loadCatalog reads the embedded message files once, on the first message
// printed.
var loadCatalog = sync.OnceValues(func() (*catalog, error) {
	bundle := i18n.NewBundle(language.Vietnamese)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &catalog{plural: map[string]bool{}}
	for _, f := range Files {
		file, err := bundle.LoadMessageFileFS(FS, f)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", f, err)
		}
		for _, m := range file.Messages {
			if m.One != "" {
				c.plural[m.ID] = true
			}
		}
	}
	c.localizers = map[core.Lang]*i18n.Localizer{
		core.LangVI: i18n.NewLocalizer(bundle, "vi"),
		core.LangEN: i18n.NewLocalizer(bundle, "en"),
	}
	return c, nil
})

// Message renders message id in lang with data; count picks the plural
// form when the message has one, and a message with one form ignores it
// (CLDR gives Vietnamese a "one", which such a message lacks). A language
// the files do not hold reads Vietnamese. The error names a message
// missing from the files, for the tests that check every message used.
func Message(lang core.Lang, id string, data map[string]any, count ...int) (string, error) {
	c, err := loadCatalog()
	if err != nil {
		return "", err
	}
	loc, ok := c.localizers[lang]
	if !ok {
		loc = c.localizers[core.LangVI]
	}
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if len(count) > 0 && c.plural[id] {
		cfg.PluralCount = count[0]
	}
	s, err := loc.Localize(cfg)
	if err != nil {
		return "", fmt.Errorf("message %q in %s: %w", id, lang, err)
	}
	return s, nil
}

// Print is Message for a reader. A missing message is a bug the locale
// tests catch, so here it prints as its id rather than failing a farmer's
// or a shopper's request.
func Print(lang core.Lang, id string, data map[string]any, count ...int) string {
	s, err := Message(lang, id, data, count...)
	if err != nil {
		return id
	}
	return s
}

// Pairs is Print for a template: the data as name, value pairs, and a
// Count among them picks the plural form ({{t .Lang "id" "Count" 3}}).
func Pairs(lang core.Lang, id string, kv ...any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			data[k] = kv[i+1]
		}
	}
	if n, ok := data["Count"].(int); ok {
		return Print(lang, id, data, n)
	}
	return Print(lang, id, data)
}
