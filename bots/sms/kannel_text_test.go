package sms

import (
	"testing"
	"unicode/utf16"
)

// Every charset Kannel and SMSCs name, and the spellings they use.
func TestKannelText(t *testing.T) {
	ucs2 := func(s string) string {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u>>8), byte(u))
		}
		return string(b)
	}
	tests := []struct {
		raw, coding, charset, want string
	}{
		{"caf\xe9", "0", "ISO-8859-1", "café"},
		{"caf\xe9", "0", "iso-8859-1", "café"},
		{"caf\xe9", "0", "latin1", "café"},
		{"50\x80", "0", "WINDOWS-1252", "50€"},
		{"50\x80", "0", "windows-1252", "50€"},
		{"50\x80", "0", "CP1252", "50€"},
		{"50\xa4", "0", "ISO-8859-15", "50€"},
		{"Mật ong", "0", "UTF-8", "Mật ong"},
		{"Mật ong", "2", "UTF-8", "Mật ong"}, // mo-recode turned UCS-2 into UTF-8
		{"Mật ong", "0", "utf8", "Mật ong"},
		{ucs2("Mật ong 🍯"), "2", "UTF-16BE", "Mật ong 🍯"},
		{ucs2("Mật ong"), "2", "", "Mật ong"},
		{ucs2("Mật ong"), "3", "UTF16-BE", "Mật ong"},
		{ucs2("Tôm"), "2", "UCS-2", "Tôm"},
		{ucs2("Tôm"), "2", "UCS2", "Tôm"},
		{ucs2("Tôm"), "2", "ucs-2be", "Tôm"},
		{ucs2("Tôm"), "2", "ISO-8859-1", "Tôm"}, // coding 2 is UCS-2 whatever the charset says
		{"Mật ong", "0", "", "Mật ong"},
		{"caf\xe9", "0", "", "café"},
		{"caf\xe9", "0", "x-unknown-charset", "café"},
	}
	for _, tt := range tests {
		if got := kannelText(tt.raw, tt.coding, tt.charset); got != tt.want {
			t.Errorf("kannelText(%q, coding %s, %s) = %q, want %q", tt.raw, tt.coding, tt.charset, got, tt.want)
		}
	}
}
