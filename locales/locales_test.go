package locales_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"tracegate/core"
	"tracegate/locales"
)

// localeMessages reads a locale file as id -> plural forms.
func localeMessages(t *testing.T, file string) map[string]map[string]string {
	t.Helper()
	raw, err := locales.FS.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var msgs map[string]map[string]string
	if _, err := toml.Decode(string(raw), &msgs); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return msgs
}

func TestLocalesHaveTheSameMessages(t *testing.T) {
	vi, en := localeMessages(t, "active.vi.toml"), localeMessages(t, "active.en.toml")
	for _, pair := range []struct {
		name     string
		a, other map[string]map[string]string
	}{{"vi", vi, en}, {"en", en, vi}} {
		for id := range pair.a {
			if _, ok := pair.other[id]; !ok {
				t.Errorf("%s has %q, the other locale does not", pair.name, id)
			}
		}
	}
	// Since go-i18n 2.7, CLDR gives Vietnamese "one" as well as "other".
	for id, forms := range vi {
		if _, plural := en[id]["one"]; plural && (forms["one"] == "" || forms["other"] == "") {
			t.Errorf("vi %q is plural in English but lacks one or other", id)
		}
	}
}

// sampleData holds every field a template may use.
var sampleData = map[string]any{
	"Code": "4K7M-2QX9-5", "Input": "4K7M2QX9", "Facility": "HTX Mật ong rừng U Minh Hạ", "Province": "Cà Mau",
	"Product": "Mật ong rừng", "Stars": 4, "List": "VietGAP, HACCP", "Lot": "L7", "Date": "28/11/2026",
	"First": "01/11/2026", "Count": 2, "Senders": 3, "ID": 42, "From": "+84 91x xxx 111", "Text": "Ngon",
	"To": "+84 91x xxx 111", "Name": "Chị Lan", "Command": "NK", "Step": "Bón phân", "Quantity": "20 kg",
	"Note": "NPK", "Max": 1000000, "Phone": "+84912345678", "Seller": "Trại tôm Rạch Gốc", "Buyer": "Co.op Cà Mau",
	"What": "tôm giống", "Commands": "NK, XOA", "Reason": "nhiễm khuẩn", "Supplier": "Trại giống Minh Phú", "SupplierLot": "G12",
	"App": "Zalo", "Left": 4, "Until": "16:05", "Channel": "SMS", "Days": 30,
	"Place": "chợ Phường 8", "Where": "Phường 8, TP Cà Mau",
}

func TestEveryMessageRenders(t *testing.T) {
	for _, file := range locales.Files {
		lang := core.Lang(strings.TrimSuffix(strings.TrimPrefix(file, "active."), ".toml"))
		msgs := localeMessages(t, file)
		ids := make([]string, 0, len(msgs))
		for id := range msgs {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			counts := [][]int{nil}
			if _, plural := msgs[id]["one"]; plural {
				counts = [][]int{{1}, {5}}
			}
			for _, count := range counts {
				got := locales.Print(lang, id, sampleData, count...)
				if got == "" || got == id || strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
					t.Errorf("%s %q with count %v renders %q", lang, id, count, got)
				}
			}
		}
	}
}
