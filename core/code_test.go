package core

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseCode(t *testing.T) {
	tests := []struct {
		input string
		want  Code
		err   error
	}{
		{"4K7M2QX95", "4K7M2QX95", nil},
		{"4K7M-2QX9-5", "4K7M2QX95", nil},
		{" 4k7m 2qx9 5 ", "4K7M2QX95", nil},
		{"ZZZZZZZZ8", "ZZZZZZZZ8", nil},
		{"zzzz-zzzz-8", "ZZZZZZZZ8", nil},
		{"00000000" + "0", "000000000", nil},
		{"OOOOOOOOO", "000000000", nil},    // O read as 0
		{"111111111", "", ErrCodeMistyped}, // well formed, check fails
		{"4K7M2QX94", "", ErrCodeMistyped},
		{"4K7M2QX59", "", ErrCodeMistyped}, // neighbours swapped
		{"4K7M2QX9", "", ErrCodeMalformed}, // check symbol missing
		{"4K7M2QX955", "", ErrCodeMalformed},
		{"4K7M2QU95", "", ErrCodeMalformed}, // U is not in the alphabet
		{"HD", "", ErrCodeMalformed},
		{"", "", ErrCodeMalformed},
		{"4K7M2QX9✓", "", ErrCodeMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			got, err := ParseCode(tt.input)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("ParseCode(%q) = %q, %v; want %q, %v", tt.input, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestParseCodeReadsIAndLAsOne(t *testing.T) {
	code := withCheck(t, "1K7M2QX9")
	for _, typed := range []string{"I" + string(code[1:]), "l" + string(code[1:])} {
		if got, err := ParseCode(typed); err != nil || got != code {
			t.Errorf("ParseCode(%q) = %q, %v; want %q", typed, got, err, code)
		}
	}
}

func TestCheckSymbolExamples(t *testing.T) {
	for data, want := range map[string]Code{"4K7M2QX9": "4K7M2QX95", "ZZZZZZZZ": "ZZZZZZZZ8"} {
		if got := withCheck(t, data); got != want {
			t.Errorf("check of %s = %s, want %s", data, got, want)
		}
	}
}

func TestNewCodeIsValidAndRandom(t *testing.T) {
	seen := map[Code]bool{}
	for range 1000 {
		c, err := NewCode(nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := ParseCode(string(c)); err != nil || got != c {
			t.Fatalf("NewCode gave %q which parses as %q, %v", c, got, err)
		}
		seen[c] = true
	}
	if len(seen) < 1000 {
		t.Fatalf("1000 codes from crypto/rand had %d distinct", len(seen))
	}
	fixed, _ := NewCode(bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff, 0xff}))
	if fixed != "ZZZZZZZZ8" {
		t.Fatalf("all ones = %s, want ZZZZZZZZ8", fixed)
	}
}

func TestPrinted(t *testing.T) {
	if got := Code("4K7M2QX95").Printed(); got != "4K7M-2QX9-5" {
		t.Fatalf("Printed = %s", got)
	}
}

func TestNormalizeCodeInput(t *testing.T) {
	if got := NormalizeCodeInput("ab-cd ef"); got != "ABCDEF" {
		t.Fatalf("got %q", got)
	}
	long := strings.Repeat("ă", 40)
	if got := NormalizeCodeInput(long); len([]rune(got)) != 32 {
		t.Fatalf("long input kept %d runes", len([]rune(got)))
	}
}

// withCheck appends the check symbol to eight data symbols.
func withCheck(t testing.TB, data string) Code {
	t.Helper()
	values := make([]int, len(data))
	for i := range data {
		values[i] = strings.IndexByte(codeAlphabet, data[i])
		if values[i] < 0 {
			t.Fatalf("%q is not in the alphabet", data[i])
		}
	}
	return Code(data + string(codeAlphabet[checkValue(values)]))
}

// FuzzParseCode: parsing never panics, anything it accepts is canonical and
// parses to itself, and every single-symbol change of a valid code is
// caught as mistyped.
func FuzzParseCode(f *testing.F) {
	f.Add("4K7M2QX95", uint8(0), uint8(1))
	f.Add("zzzz-zzzz-8", uint8(8), uint8(31))
	f.Add("", uint8(3), uint8(7))
	f.Fuzz(func(t *testing.T, input string, pos, delta uint8) {
		code, err := ParseCode(input)
		if err == nil {
			if again, err := ParseCode(string(code)); err != nil || again != code {
				t.Fatalf("%q parsed to %q which reparses to %q, %v", input, code, again, err)
			}
		}
		valid := validCodeFrom(input)
		i := int(pos) % codeLen
		old := strings.IndexByte(codeAlphabet, valid[i])
		changed := []byte(valid)
		changed[i] = codeAlphabet[(old+1+int(delta)%31)%32]
		if _, err := ParseCode(string(changed)); !errors.Is(err, ErrCodeMistyped) {
			t.Fatalf("%s with symbol %d changed to %s: err %v, want mistyped", valid, i, changed, err)
		}
	})
}

// validCodeFrom derives a valid code from any fuzz input.
func validCodeFrom(input string) Code {
	b := []byte(input + "\x00\x00\x00\x00\x00")
	c, err := NewCode(bytes.NewReader(b[:5]))
	if err != nil {
		panic(err)
	}
	return c
}
