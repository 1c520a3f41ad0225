package locales_test

import (
	"strings"
	"testing"
	"time"

	"tracegate/core"
	"tracegate/locales"
)

func TestPrintPicksThePluralForm(t *testing.T) {
	// The suspicious verdict no longer counts lookups (its reasons do), so
	// the import's refusal is the plural message this reads.
	data := map[string]any{"Count": 1}
	if one := locales.Print(core.LangEN, "console_import_refused", data, 1); !strings.Contains(one, "1 row has problems") {
		t.Errorf("one: %q", one)
	}
	data["Count"] = 12
	if many := locales.Print(core.LangEN, "console_import_refused", data, 12); !strings.Contains(many, "12 rows have problems") {
		t.Errorf("other: %q", many)
	}
}

// A language the files do not hold reads the default, Vietnamese.
func TestPrintFallsBackToVietnamese(t *testing.T) {
	if got, want := locales.Print("fr", "web_check", nil), locales.Print(core.LangVI, "web_check", nil); got != want {
		t.Errorf("fr prints %q, vi %q", got, want)
	}
}

// A missing message is an error for the tests and its id for a reader.
func TestMissingMessage(t *testing.T) {
	if _, err := locales.Message(core.LangEN, "no_such_message", nil); err == nil || !strings.Contains(err.Error(), "no_such_message") {
		t.Errorf("Message: err %v", err)
	}
	if got := locales.Print(core.LangVI, "no_such_message", nil); got != "no_such_message" {
		t.Errorf("Print: %q", got)
	}
}

// A date is the reader's day in Vietnam, whatever zone the instant is in.
func TestDateIsInVietnam(t *testing.T) {
	late := time.Date(2026, 11, 27, 18, 30, 0, 0, time.UTC) // 01:30 on the 28th in Vietnam
	if got := locales.Date(late); got != "28/11/2026" {
		t.Errorf("Date: %q", got)
	}
	if locales.Vietnam.String() != locales.VietnamZone {
		t.Errorf("zone loaded as %q, not from the database", locales.Vietnam)
	}
}

func TestQuantity(t *testing.T) {
	q := &core.Quantity{Value: "1.5", Unit: "tan"}
	if got := locales.Quantity(core.LangVI, q); got != "1,5 tấn" {
		t.Errorf("vi: %q", got)
	}
	if got := locales.Quantity(core.LangEN, q); got != "1.5 tonnes" {
		t.Errorf("en: %q", got)
	}
	if got := locales.Quantity(core.LangEN, nil); got != "" {
		t.Errorf("none: %q", got)
	}
}

func TestStepName(t *testing.T) {
	if got := locales.Step(core.LangEN, core.StepSow); got != "Sowing/stocking" {
		t.Errorf("Step: %q", got)
	}
}

// The web passes a verdict's count whatever the verdict; a message with
// one form prints it, in Vietnamese too, where CLDR has a "one".
func TestCountOnAMessageWithOneForm(t *testing.T) {
	data := map[string]any{"Code": "4K7M-2QX9-5"}
	for _, lang := range []core.Lang{core.LangVI, core.LangEN} {
		if got, err := locales.Message(lang, "verdict_genuine", data, 1); err != nil || !strings.Contains(got, "4K7M-2QX9-5") {
			t.Errorf("%s: %q, %v", lang, got, err)
		}
	}
}

// A template's pairs become the data, and its Count the plural.
func TestPairs(t *testing.T) {
	if got := locales.Pairs(core.LangEN, "console_import_refused", "Count", 2); !strings.Contains(got, "2 rows have problems") {
		t.Errorf("plural: %q", got)
	}
	if got := locales.Pairs(core.LangEN, "console_import_refused", "Count", 1); !strings.Contains(got, "1 row has problems") {
		t.Errorf("one: %q", got)
	}
}
