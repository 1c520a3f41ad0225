package core

import "testing"

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"nhật ký":         "nhat ky",
		"NHẬT KÝ":         "NHAT KY",
		"Đóng gói":        "Dong goi",
		"đường":           "duong",
		"Mật ong rừng":    "Mat ong rung",
		"plain ASCII 123": "plain ASCII 123",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
