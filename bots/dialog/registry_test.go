package dialog

import (
	"testing"

	"tracegate/core"
)

// Every registered word calls its command, whatever else is registered;
// every member command says how to use it in the help.
func TestRegistry(t *testing.T) {
	if len(commands) < 13 {
		t.Fatalf("%d commands registered", len(commands))
	}
	for intent, c := range commands {
		if len(c.Words) == 0 {
			t.Errorf("%s has no words", intent)
		}
		for _, w := range c.Words {
			if got := Parse(w).Intent; got != intent {
				t.Errorf("%q parses as %s, want %s", w, got, intent)
			}
		}
		if c.Member && c.Help == "" {
			t.Errorf("member command %s is missing from the help", intent)
		}
		if (c.Menu == "") != (c.MenuText == "") {
			t.Errorf("%s has half a menu entry", intent)
		}
	}
	for _, lang := range []core.Lang{core.LangVI, core.LangEN} {
		for _, e := range Menu(lang) {
			if e.Description == "" || e.Description == "menu_"+e.Command {
				t.Errorf("menu entry /%s has no words in %s", e.Command, lang)
			}
		}
	}
}
