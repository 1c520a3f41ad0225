package dialog

import (
	"fmt"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"tracegate/core"
	"tracegate/locales"
)

// msgID names a message in locales/. Every message the dialog sends is a
// msgID constant, so a test can check each against both languages.
type msgID string

var (
	bundleOnce sync.Once
	bundle     *i18n.Bundle
	bundleErr  error
	localizers map[core.Lang]*i18n.Localizer
)

// loadBundle reads the embedded message files once.
func loadBundle() error {
	bundleOnce.Do(func() {
		bundle = i18n.NewBundle(language.Vietnamese)
		bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		for _, f := range locales.Files {
			if _, err := bundle.LoadMessageFileFS(locales.FS, f); err != nil {
				bundleErr = fmt.Errorf("load %s: %w", f, err)
				return
			}
		}
		localizers = map[core.Lang]*i18n.Localizer{
			core.LangVI: i18n.NewLocalizer(bundle, "vi"),
			core.LangEN: i18n.NewLocalizer(bundle, "en"),
		}
	})
	return bundleErr
}

// T renders a message in lang with data; count picks the plural form when
// the message has one. A message missing from the files is a bug that the
// locale tests catch, so here it renders as its id rather than failing a
// farmer's request.
func T(lang core.Lang, id msgID, data map[string]any, count ...int) string {
	if err := loadBundle(); err != nil {
		return string(id)
	}
	loc, ok := localizers[lang]
	if !ok {
		loc = localizers[core.LangVI]
	}
	cfg := &i18n.LocalizeConfig{MessageID: string(id), TemplateData: data}
	if len(count) > 0 {
		cfg.PluralCount = count[0]
	}
	s, err := loc.Localize(cfg)
	if err != nil {
		return string(id)
	}
	return s
}

// Localize renders message id for other adapters (the web pages), with
// an error for a message missing from the locale files.
func Localize(lang core.Lang, id string, data map[string]any) (string, error) {
	if err := loadBundle(); err != nil {
		return "", err
	}
	loc, ok := localizers[lang]
	if !ok {
		loc = localizers[core.LangVI]
	}
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["Count"].(int); ok {
		cfg.PluralCount = n
	}
	return loc.Localize(cfg)
}

// FormatDate and FormatQuantity write dates and amounts as the replies do.
func FormatDate(t time.Time) string { return formatDate(t) }

// FormatQuantity writes an amount in lang's way, with its unit.
func FormatQuantity(lang core.Lang, q *core.Quantity) string { return formatQuantity(lang, q) }

// StepName is a diary step's name in lang.
func StepName(lang core.Lang, s core.Step) string { return T(lang, stepLabel(s), nil) }
