package smstext

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func TestCount(t *testing.T) {
	vi := "Mật ong rừng U Minh Hạ"
	tests := []struct {
		name string
		in   string
		want Segments
	}{
		{"empty", "", Segments{GSM7, 0, 0}},
		{"hello", "hello", Segments{GSM7, 5, 1}},
		{"160 septets", strings.Repeat("a", 160), Segments{GSM7, 160, 1}},
		{"161 septets", strings.Repeat("a", 161), Segments{GSM7, 161, 2}},
		{"306 septets", strings.Repeat("a", 306), Segments{GSM7, 306, 2}},
		{"307 septets", strings.Repeat("a", 307), Segments{GSM7, 307, 3}},
		{"extension chars count 2", "€{", Segments{GSM7, 4, 1}},
		{"extension chars all", "\f^{}\\[~]|€", Segments{GSM7, 20, 1}},
		{"80 euros fill one message", strings.Repeat("€", 80), Segments{GSM7, 160, 1}},
		{"81 euros", strings.Repeat("€", 81), Segments{GSM7, 162, 2}},
		{"extension char at end of 153", strings.Repeat("a", 151) + "€" + strings.Repeat("a", 153), Segments{GSM7, 306, 2}},
		// 152 septets then €: the escape would be septet 153 and the
		// character septet 1 of part 2; it moves whole, so part 2 holds
		// 2+152 = 154 > 153 and a third part is needed.
		{"extension char straddles 153", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), Segments{GSM7, 306, 3}},
		{"vietnamese", vi, Segments{UCS2, len(utf16.Encode([]rune(vi))), 1}},
		{"70 units", strings.Repeat("ạ", 70), Segments{UCS2, 70, 1}},
		{"71 units", strings.Repeat("ạ", 71), Segments{UCS2, 71, 2}},
		{"134 units", strings.Repeat("ạ", 134), Segments{UCS2, 134, 2}},
		{"135 units", strings.Repeat("ạ", 135), Segments{UCS2, 135, 3}},
		{"emoji is a surrogate pair", "🍯", Segments{UCS2, 2, 1}},
		{"35 emoji fill one message", strings.Repeat("🍯", 35), Segments{UCS2, 70, 1}},
		{"36 emoji", strings.Repeat("🍯", 36), Segments{UCS2, 72, 2}},
		{"surrogate pair ends part at 67", strings.Repeat("ạ", 65) + "🍯" + strings.Repeat("ạ", 67), Segments{UCS2, 134, 2}},
		// 66 units then 🍯: the pair would straddle units 67/68; it moves
		// whole, so part 2 holds 2+66 = 68 > 67.
		{"surrogate pair straddles 67", strings.Repeat("ạ", 66) + "🍯" + strings.Repeat("ạ", 66), Segments{UCS2, 134, 3}},
		{"GSM accented é", "café", Segments{GSM7, 4, 1}},
		{"GSM accented à ñ Ä", "à ñ Ä", Segments{GSM7, 5, 1}},
		{"GSM Greek", "ΔΦΓΛΩΠΨΣΘΞ", Segments{GSM7, 10, 1}},
		{"ạ forces UCS2", "ạ", Segments{UCS2, 1, 1}},
		{"ư forces UCS2", "ư", Segments{UCS2, 1, 1}},
		{"đ forces UCS2", "đ", Segments{UCS2, 1, 1}},
		{"one non-GSM rune makes it all UCS2", strings.Repeat("a", 100) + "ư", Segments{UCS2, 101, 2}},
		{"newline and CR are GSM", "a\nb\r\n", Segments{GSM7, 5, 1}},
		{"literal ESC is not GSM", "a\x1bb", Segments{UCS2, 3, 1}},
		{"backtick is not GSM", "`", Segments{UCS2, 1, 1}},
		{"ellipsis is not GSM", "…", Segments{UCS2, 1, 1}},
		{"invalid UTF-8 counts as U+FFFD", "a\xffb", Segments{UCS2, 3, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Count(tt.in); got != tt.want {
				t.Errorf("Count(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

// TestCountMatchesNaiveSplit checks Count against a direct simulation that
// encodes the text and cuts it into parts, for many lengths around the
// boundaries.
func TestCountMatchesNaiveSplit(t *testing.T) {
	pieces := []string{"a", "€", "ạ", "🍯", "{", "\n"}
	for _, p := range pieces {
		for _, q := range pieces {
			for n := 1; n < 340; n++ {
				s := strings.Repeat(p, n%7) + strings.Repeat(q, n)
				if got, want := Count(s), naiveCount(s); got != want {
					t.Fatalf("Count(%d×%q + %d×%q) = %+v, want %+v", n%7, p, n, q, got, want)
				}
			}
		}
	}
}

// naiveCount encodes s and splits the code sequence into parts, refusing
// to end a part on an escape or a high surrogate.
func naiveCount(s string) Segments {
	var codes []int // GSM-7: 1 per septet, 0x1b for escapes; UCS-2: UTF-16 units
	enc := GSM7
	for _, r := range s {
		switch {
		case strings.ContainsRune(gsmExtTable, r):
			codes = append(codes, 0x1b, int(r))
		case r != 0x1b && strings.ContainsRune(gsmBasicTable, r):
			codes = append(codes, int(r))
		default:
			enc = UCS2
		}
	}
	single, multi := gsmSingle, gsmMulti
	if enc == UCS2 {
		codes = codes[:0]
		for _, u := range utf16.Encode([]rune(s)) {
			codes = append(codes, int(u))
		}
		single, multi = ucs2Single, ucs2Multi
	}
	seg := Segments{Encoding: enc, Units: len(codes)}
	switch {
	case len(codes) == 0:
	case len(codes) <= single:
		seg.Parts = 1
	default:
		for rest := codes; len(rest) > 0; seg.Parts++ {
			n := min(multi, len(rest))
			if n < len(rest) {
				last := rest[n-1]
				if (enc == GSM7 && last == 0x1b) || (enc == UCS2 && utf16.IsSurrogate(rune(last)) && last < 0xdc00) {
					n--
				}
			}
			rest = rest[n:]
		}
	}
	return seg
}

func TestEncodingString(t *testing.T) {
	if GSM7.String() != "GSM-7" || UCS2.String() != "UCS-2" {
		t.Errorf("got %q, %q", GSM7, UCS2)
	}
}

// benchText is a 400-rune Vietnamese reply.
var benchText = func() string {
	const s = "Đã kích hoạt 300 tem cho lô L7. Mật ong rừng U Minh Hạ, thu hoạch tháng 4. Cảm ơn Anh/Chị đã tin dùng sản phẩm! "
	r := []rune(strings.Repeat(s, 10))
	return string(r[:400])
}()

func BenchmarkCount(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		Count(benchText)
	}
}
