package core

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestStorableText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HD", "HD"},
		{"HD\x00", "HD"},
		{"\x00\x00", ""},
		{"HD \xff", "HD \uFFFD"},
		{"caf\xe9 ngon", "caf\uFFFD ngon"},
		{norm.NFD.String("Mật ong rừng"), "Mật ong rừng"},
		{"dòng 1\ndòng 2\ttab", "dòng 1\ndòng 2\ttab"},
	}
	for _, tt := range tests {
		if got := StorableText(tt.in); got != tt.want {
			t.Errorf("StorableText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckProviderID(t *testing.T) {
	for _, ok := range []string{"SM0123456789abcdef0123456789abcdef", "42", "a1b2-c3", strings.Repeat("9", 200)} {
		if err := CheckProviderID(ok); err != nil {
			t.Errorf("CheckProviderID(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", strings.Repeat("9", 201), "SM\x00", "SM\xff", "SM\n1"} {
		if ErrorCodeOf(CheckProviderID(bad)) != EINVALID {
			t.Errorf("CheckProviderID(%q) accepted", bad)
		}
	}
}
