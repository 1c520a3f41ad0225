package core

import (
	"strings"
	"testing"
)

// The keys are GS1's own published examples, each checked by hand: the sum
// of the digits weighted 3, 1, 3... from the right, check digit included,
// is a multiple of ten.
func TestGS1CheckDigit(t *testing.T) {
	tests := []struct {
		name string
		key  string // a whole key; its last digit is the check digit
	}{
		{"GTIN-13, EAN-13 example", "4006381333931"},
		{"GTIN-12, UPC-A example", "036000291452"},
		{"GTIN-8, EAN-8 example", "96385074"},
		{"GTIN-14 of the EPC Tag Data Standard's SGTIN", "80614141123458"},
		{"GLN of GS1 US's example company", "0614141000005"},
		{"GLN of the EPC Tag Data Standard's SGLN", "0614141123452"},
		{"GTIN-13 from GS1's check digit calculator", "9501101020917"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, want := tt.key[:len(tt.key)-1], tt.key[len(tt.key)-1]
			got, ok := GS1CheckDigit(body)
			if !ok || got != want {
				t.Fatalf("GS1CheckDigit(%q) = %c, %v; want %c", body, got, ok, want)
			}
		})
	}
	for _, body := range []string{"", "40063813339a", "4006381 33393", "٤٠٠٦"} {
		if got, ok := GS1CheckDigit(body); ok {
			t.Errorf("GS1CheckDigit(%q) = %c, want not ok", body, got)
		}
	}
}

func TestParseGTIN(t *testing.T) {
	tests := []struct {
		input, want string
		err         string // part of the error message; "" for none
	}{
		{"4006381333931", "4006381333931", ""},
		{"036000291452", "036000291452", ""},
		{"96385074", "96385074", ""},
		{"80614141123458", "80614141123458", ""},
		{"0036000291452", "0036000291452", ""},   // the UPC-A as a GTIN-13
		{"4 006381 333931", "4006381333931", ""}, // as printed under the bars
		{"4006381333932", "", "wrong check digit: 2, the digits before it give 1"},
		{"036000291453", "", "wrong check digit"},
		{"4006381333913", "", "wrong check digit"},    // neighbours swapped
		{"40063813339", "", "8, 12, 13 or 14 digits"}, // 11: no GTIN is that long
		{"400638133393100", "", "8, 12, 13 or 14 digits"},
		{"0614141000005x", "", "8, 12, 13 or 14 digits"},
		{"4006381-333931", "", "8, 12, 13 or 14 digits"},
		{"1234567", "", "8, 12, 13 or 14 digits"},
		{"00000000", "", "all zeros"},
		{"", "", "8, 12, 13 or 14 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			got, err := ParseGTIN(tt.input)
			checkParsed(t, got, err, tt.want, tt.err)
		})
	}
}

func TestParseGLN(t *testing.T) {
	tests := []struct {
		input, want string
		err         string
	}{
		{"0614141000005", "0614141000005", ""},
		{"0614141123452", "0614141123452", ""},
		{"0614141000006", "", "wrong check digit"},
		{"96385074", "", "must be 13 digits"}, // a valid GTIN-8 is no GLN
		{"80614141123458", "", "must be 13 digits"},
		{"0000000000000", "", "all zeros"},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			got, err := ParseGLN(tt.input)
			checkParsed(t, got, err, tt.want, tt.err)
		})
	}
}

func checkParsed(t *testing.T, got string, err error, want, wantErr string) {
	t.Helper()
	if wantErr == "" {
		if err != nil || got != want {
			t.Fatalf("= %q, %v; want %q", got, err, want)
		}
		return
	}
	if err == nil || ErrorCodeOf(err) != EINVALID || !strings.Contains(err.Error(), wantErr) {
		t.Fatalf("= %q, %v; want an invalid error saying %q", got, err, wantErr)
	}
}
