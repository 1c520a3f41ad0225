package epcis

import (
	"testing"

	"tracegate/core"
)

func TestMeasure(t *testing.T) {
	tests := []struct {
		value string
		unit  core.Unit
		want  string
		code  string
	}{
		{"1250.5", "kg", "1250.5", "KGM"},
		{"500", "g", "500", "GRM"},
		{"2", "tan", "2", "TNE"},
		{"3", "ta", "3", "DTN"},
		{"2.5", "yen", "25", "KGM"},
		{"0.001", "yen", "0.01", "KGM"},
		{"1.5", "l", "1.5", "LTR"},
		{"250", "ml", "250", "MLT"},
		{"2", "m2", "2", "MTK"},
		{"1.2", "ha", "1.2", "HAR"},
		{"3", "cong", "3", "DAA"},
	}
	for _, tt := range tests {
		n, code := measure(core.Quantity{Value: tt.value, Unit: tt.unit})
		if string(n) != tt.want || code != tt.code {
			t.Errorf("%s %s is %s %s, want %s %s", tt.value, tt.unit, n, code, tt.want, tt.code)
		}
	}
	for _, counted := range []core.Unit{"bao", "con", "cay", "chai", "hop", "goi", "thung"} {
		if _, code := measure(core.Quantity{Value: "1", Unit: counted}); code != "H87" {
			t.Errorf("%s is %s, want pieces (H87)", counted, code)
		}
	}
	for _, u := range core.Units {
		if _, ok := uoms[u]; !ok {
			t.Errorf("unit %s has no UN/ECE code", u)
		}
	}
}
