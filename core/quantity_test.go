package core

import "testing"

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		value, unit string
		want        Quantity
		ok          bool
	}{
		{"2,5", "tan", Quantity{"2.5", "tan"}, true},
		{"2.5", "TAN", Quantity{"2.5", "tan"}, true},
		{"20", "kg", Quantity{"20", "kg"}, true},
		{"0,125", "kg", Quantity{"0.125", "kg"}, true},
		{"3", "công", Quantity{"3", "cong"}, true},
		{"1000", "cây", Quantity{"1000", "cay"}, true},
		{"12", "m2", Quantity{"12", "m2"}, true},
		{"0", "kg", Quantity{}, false},
		{"-1", "kg", Quantity{}, false},
		{"1e9", "kg", Quantity{}, false},
		{"1/2", "kg", Quantity{}, false},
		{"0,0001", "kg", Quantity{}, false},
		{"2,5,1", "kg", Quantity{}, false},
		{"abc", "kg", Quantity{}, false},
		{"10", "pound", Quantity{}, false},
		{"1000000000000", "kg", Quantity{}, false},
	}
	for _, tt := range tests {
		got, err := ParseQuantity(tt.value, tt.unit)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseQuantity(%q, %q) = %+v, %v; want %+v ok=%v", tt.value, tt.unit, got, err, tt.want, tt.ok)
		}
	}
}
