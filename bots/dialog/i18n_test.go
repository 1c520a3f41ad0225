package dialog

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"path/filepath"
	"slices"
	"strconv"
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

// codeMessageIDs collects every msgID constant in the package's code,
// plus the step and unit names looked up by key.
func codeMessageIDs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	fset := gotoken.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok || spec.Type == nil || types(spec.Type) != "msgID" {
				return true
			}
			for _, v := range spec.Values {
				if lit, ok := v.(*ast.BasicLit); ok {
					id, _ := strconv.Unquote(lit.Value)
					ids = append(ids, id)
				}
			}
			return true
		})
	}
	for _, s := range core.Steps {
		ids = append(ids, string(stepLabel(s.Step)))
	}
	for _, u := range core.Units {
		ids = append(ids, string(unitLabel(u)))
	}
	if len(ids) < 60 {
		t.Fatalf("found only %d message ids in the code", len(ids))
	}
	return ids
}

func types(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func TestEveryMessageIsInEveryLocale(t *testing.T) {
	for _, file := range locales.Files {
		msgs := localeMessages(t, file)
		for _, id := range codeMessageIDs(t) {
			if forms, ok := msgs[id]; !ok || forms["other"] == "" {
				t.Errorf("%s lacks message %q used in the code", file, id)
			}
		}
	}
}

func TestPluralForms(t *testing.T) {
	one := T(core.LangEN, msgActivated, map[string]any{"Lot": "L7", "Count": 1}, 1)
	many := T(core.LangEN, msgActivated, map[string]any{"Lot": "L7", "Count": 300}, 300)
	if one != "Lot L7: 1 stamp activated." || many != "Lot L7: 300 stamps activated." {
		t.Fatalf("plural forms: %q, %q", one, many)
	}
	if vi := T(core.LangVI, msgActivated, map[string]any{"Lot": "L7", "Count": 300}, 300); vi != "Lô L7: đã kích hoạt 300 tem." {
		t.Fatalf("vi: %q", vi)
	}
	if !slices.Contains(locales.Files, "active.vi.toml") {
		t.Fatal("vi is not a locale")
	}
}
