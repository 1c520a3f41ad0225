package core

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Code is a stamp's code in canonical form: 8 random Crockford base32
// symbols and a Luhn mod 32 check symbol, upper case, no separators.
type Code string

const (
	codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeData     = 8
	codeLen      = codeData + 1
)

var (
	// ErrCodeMalformed: the text is not shaped like a code at all.
	ErrCodeMalformed = errors.New("not a stamp code")
	// ErrCodeMistyped: the text is shaped like a code but its check symbol
	// disagrees, so the person mistyped it; a forger would copy a real one.
	ErrCodeMistyped = errors.New("stamp code check failed")
)

// symbolValue maps an input byte to its symbol value, reading I and L as 1
// and O as 0 the way Crockford intends; -1 for anything else.
var symbolValue = func() [256]int8 {
	var t [256]int8
	for i := range t {
		t[i] = -1
	}
	for v := 0; v < len(codeAlphabet); v++ {
		c := codeAlphabet[v]
		t[c] = int8(v)
		t[c|0x20] = int8(v) // lower case; digits are unaffected by the bit
	}
	for _, c := range "Ii" + "Ll" {
		t[c] = 1
	}
	t['O'], t['o'] = 0, 0
	return t
}()

// NewCode draws 40 random bits from r (crypto/rand when nil) and returns
// them as a code with its check symbol.
func NewCode(r io.Reader) (Code, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [5]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("new stamp code: %w", err)
	}
	bits := uint64(b[0])<<32 | uint64(b[1])<<24 | uint64(b[2])<<16 | uint64(b[3])<<8 | uint64(b[4])
	var s [codeLen]byte
	var values [codeData]int
	for i := codeData - 1; i >= 0; i-- {
		values[i] = int(bits & 31)
		s[i] = codeAlphabet[values[i]]
		bits >>= 5
	}
	s[codeData] = codeAlphabet[checkValue(values[:])]
	return Code(s[:]), nil
}

// ParseCode reads what a person typed: case-insensitive, spaces and dashes
// ignored, I and L read as 1, O as 0. It returns ErrCodeMalformed when the
// text cannot be a code and ErrCodeMistyped when the check symbol fails.
func ParseCode(input string) (Code, error) {
	var values [codeLen]int
	n := 0
	for i := 0; i < len(input); i++ {
		c := input[i]
		if c == ' ' || c == '-' || c == '\t' {
			continue
		}
		v := symbolValue[c]
		if v < 0 || n == codeLen {
			return "", ErrCodeMalformed
		}
		values[n] = int(v)
		n++
	}
	if n != codeLen {
		return "", ErrCodeMalformed
	}
	if checkValue(values[:codeData]) != values[codeData] {
		return "", ErrCodeMistyped
	}
	var s [codeLen]byte
	for i, v := range values {
		s[i] = codeAlphabet[v]
	}
	return Code(s[:]), nil
}

// checkValue is Luhn mod 32 over the data symbol values: from the rightmost
// leftwards every other value is doubled, starting with the rightmost, and
// a doubled value adds v/32 + v%32.
func checkValue(values []int) int {
	sum, double := 0, true
	for i := len(values) - 1; i >= 0; i-- {
		v := values[i]
		if double {
			v *= 2
			v = v/32 + v%32
		}
		sum += v
		double = !double
	}
	return (32 - sum%32) % 32
}

// Printed is the code as printed on a stamp: 4K7M-2QX9-5.
func (c Code) Printed() string {
	s := string(c)
	if len(s) != codeLen {
		return s
	}
	return s[:4] + "-" + s[4:8] + "-" + s[8:]
}

// NormalizeCodeInput is what a lookup of an unparseable code records: the
// input upper-cased without separators, cut to a sane length.
func NormalizeCodeInput(input string) string {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(input))
	if r := []rune(s); len(r) > 32 {
		s = string(r[:32])
	}
	return strings.ToValidUTF8(s, "")
}
