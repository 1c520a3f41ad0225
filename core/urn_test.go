package core

import "testing"

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"0912 345 678", "+84912345678", true},
		{"0912345678", "+84912345678", true},
		{"84912345678", "+84912345678", true},
		{"+84912345678", "+84912345678", true},
		{"+84 91-234-5678", "+84912345678", true},
		{"(+84) 912.345.678", "+84912345678", true},
		{"0290 3836 123", "+842903836123", true}, // Cà Mau landline
		{"+14155552671", "+14155552671", true},
		{"", "", false},
		{"12345", "", false},
		{"không có", "", false},
		{"0912", "", false},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && ErrorCodeOf(err) != EINVALID {
			t.Errorf("NormalizePhone(%q) error code %q, want invalid", tt.in, ErrorCodeOf(err))
		}
	}
}

func TestURNs(t *testing.T) {
	tel, err := TelURN("0912 345 678")
	if err != nil || tel != "tel:+84912345678" || tel.Scheme() != "tel" || tel.Path() != "+84912345678" {
		t.Fatalf("TelURN = %q, %v", tel, err)
	}
	tg, err := TelegramURN(123456789)
	if err != nil || tg != "telegram:123456789" {
		t.Fatalf("TelegramURN = %q, %v", tg, err)
	}
	if _, err := TelegramURN(0); err == nil {
		t.Fatal("TelegramURN(0) accepted")
	}
	for in, ok := range map[string]bool{"zalo:8901234567890123456": true, "zalo:abc": false, "zalo:": false} {
		if urn, err := ParseURN(in); (err == nil) != ok || (ok && string(urn) != in) {
			t.Errorf("ParseURN(%q) = %q, %v", in, urn, err)
		}
	}
}

func TestMasked(t *testing.T) {
	for urn, want := range map[URN]string{
		"tel:+84912345111":         "+84 91x xxx 111",
		"tel:+14155552671":         "+1 41x xxx 671",
		"telegram:12345678":        "Telegram …678",
		"telegram:12":              "telegram:…",
		"zalo:8901234567890123456": "Zalo …456",
		"tel:garbage":              "tel:…",
	} {
		if got := urn.Masked(); got != want {
			t.Errorf("%s masked = %q, want %q", urn, got, want)
		}
	}
}
