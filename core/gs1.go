package core

import (
	"slices"
	"strings"
)

// GS1 keys name things the way the trade already names them: a GTIN (Global
// Trade Item Number) a kind of product, a GLN (Global Location Number) a
// place. Holding them lets EPCIS documents use GS1 URIs instead of our own.

// GS1CheckDigit returns the check digit (as the character '0' to '9') of a
// GS1 key whose digits before the check digit are body. It is the GS1
// mod-10 rule: digits weighted 3, 1, 3... from the rightmost leftwards,
// and the check digit takes the sum up to a multiple of ten. ok is false
// when body is empty or holds anything but ASCII digits.
func GS1CheckDigit(body string) (digit byte, ok bool) {
	if body == "" {
		return 0, false
	}
	sum := 0
	for i := range len(body) {
		c := body[len(body)-1-i]
		if c < '0' || c > '9' {
			return 0, false
		}
		weight := 1
		if i%2 == 0 {
			weight = 3
		}
		sum += int(c-'0') * weight
	}
	return byte('0' + (10-sum%10)%10), true
}

// GTIN lengths GS1 defines: GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13),
// GTIN-14.
var gtinLengths = []int{8, 12, 13, 14}

// ParseGTIN checks a GTIN as an operator types it (spaces, as printed under
// a barcode, are dropped) and returns its digits.
func ParseGTIN(s string) (string, error) {
	return parseGS1Key("gtin", s, gtinLengths, "8, 12, 13 or 14 digits")
}

// ParseGLN checks a GLN (13 digits) and returns its digits.
func ParseGLN(s string) (string, error) {
	return parseGS1Key("gln", s, []int{13}, "13 digits")
}

// parseGS1Key checks length, digits and check digit; field and lengthRule
// name the key and its lengths in the error.
func parseGS1Key(field, s string, lengths []int, lengthRule string) (string, error) {
	key := strings.ReplaceAll(s, " ", "")
	if !slices.Contains(lengths, len(key)) || strings.ContainsFunc(key, notDigit) {
		return "", Errorf(EINVALID, "%s %q must be %s", field, s, lengthRule)
	}
	// All zeros passes the check but is what people type when they have no
	// number: GS1 never allocates it.
	if strings.Trim(key, "0") == "" {
		return "", Errorf(EINVALID, "%s %q is all zeros, not a GS1 number", field, s)
	}
	body, check := key[:len(key)-1], key[len(key)-1]
	if want, _ := GS1CheckDigit(body); check != want {
		return "", Errorf(EINVALID, "%s %q has a wrong check digit: %c, the digits before it give %c",
			field, s, check, want)
	}
	return key, nil
}

func notDigit(r rune) bool { return r < '0' || r > '9' }
