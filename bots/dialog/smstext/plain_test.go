package smstext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlain(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"ascii untouched", "Hello, L7 #300 @shop", "Hello, L7 #300 @shop"},
		{"activation reply", "Đã kích hoạt 300 tem cho lô L7. Cảm ơn Anh/Chị!", "Da kich hoat 300 tem cho lo L7. Cam on Anh/Chi!"},
		{"product", "Mật ong rừng U Minh Hạ", "Mat ong rung U Minh Ha"},
		// Every vowel with every tone (ngang, huyền, sắc, hỏi, ngã, nặng).
		{"a tones", "a à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ", "a a a a a a a a a a a a a a a a a a"},
		{"A tones", "A À Á Ả Ã Ạ Ă Ằ Ắ Ẳ Ẵ Ặ Â Ầ Ấ Ẩ Ẫ Ậ", "A A A A A A A A A A A A A A A A A A"},
		{"e tones", "e è é ẻ ẽ ẹ ê ề ế ể ễ ệ", "e e e e e e e e e e e e"},
		{"E tones", "E È É Ẻ Ẽ Ẹ Ê Ề Ế Ể Ễ Ệ", "E E E E E E E E E E E E"},
		{"i tones", "i ì í ỉ ĩ ị I Ì Í Ỉ Ĩ Ị", "i i i i i i I I I I I I"},
		{"o tones", "o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ ơ ờ ớ ở ỡ ợ", "o o o o o o o o o o o o o o o o o o"},
		{"O tones", "O Ò Ó Ỏ Õ Ọ Ô Ồ Ố Ổ Ỗ Ộ Ơ Ờ Ớ Ở Ỡ Ợ", "O O O O O O O O O O O O O O O O O O"},
		{"u tones", "u ù ú ủ ũ ụ ư ừ ứ ử ữ ự", "u u u u u u u u u u u u"},
		{"U tones", "U Ù Ú Ủ Ũ Ụ Ư Ừ Ứ Ử Ữ Ự", "U U U U U U U U U U U U"},
		{"y tones", "y ỳ ý ỷ ỹ ỵ Y Ỳ Ý Ỷ Ỹ Ỵ", "y y y y y y Y Y Y Y Y Y"},
		{"d stroke", "đường Đà Lạt", "duong Da Lat"},
		{"decomposed input", "Ha\u0323 Lo\u0302\u0300", "Ha Lo"},
		// GSM-7 could carry these, but a Vietnamese sentence is stripped
		// evenly rather than half-stripped.
		{"GSM accents go too", "Chè đậu, café, Ä ñ", "Che dau, cafe, A n"},
		{"GSM non-accent letters stay", "Øø Ææ ß Δ £ ¥ § ¿ ¡ ¤", "Øø Ææ ß Δ £ ¥ § ¿ ¡ ¤"},
		{"dashes", "a – b — c ‐ d − e", "a - b - c - d - e"},
		{"double quotes", "“Mật ong” „x”", `"Mat ong" "x"`},
		{"single quotes", "‘a’ it’s", "'a' it's"},
		{"ellipsis", "Chờ…", "Cho..."},
		{"nbsp and bullet", "•\u00a0Lô L7\u202fok", "* Lo L7 ok"},
		{"tab", "a\tb", "a b"},
		{"extension chars stay", "{[~]}|^\\€\f", "{[~]}|^\\€\f"},
		{"newlines stay", "Dòng 1\r\nDòng 2", "Dong 1\r\nDong 2"},
		{"emoji", "Cảm ơn 🍯!", "Cam on ?!"},
		{"emoji with variation selector", "❤️", "?"},
		{"CJK and Hangul one ? each", "蜂蜜 한", "?? ?"},
		{"literal ESC", "a\x1bb", "a?b"},
		{"invalid UTF-8", "a\xffb", "a?b"},
		{"invalid UTF-8 before a letter", "\xf3Á\xc3", "?A?"},
		{"leading mark is not lost", "\u0301", "?"},
		{"leading mark on a later line", "a\n\u0301\u0300b", "a\n?b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Plain(tt.in)
			if got != tt.want {
				t.Errorf("Plain(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if enc := Count(got).Encoding; enc != GSM7 {
				t.Errorf("Count(Plain(%q)).Encoding = %v", tt.in, enc)
			}
		})
	}
}

// TestPlainProperties checks on many strings that Plain output is GSM-7,
// that Plain is idempotent, that it works line by line (Fit relies on
// that) and that it never empties a non-empty line.
func TestPlainProperties(t *testing.T) {
	seeds := []string{
		"", "a", "Đã kích hoạt 300 tem cho lô L7. Cảm ơn Anh/Chị!", "Mật ong rừng U Minh Hạ 🍯",
		"“Hàng chính hãng” — xác thực tại https://tg.vn/x?id=1…", "\u0301a\u0323\n\u0300", "👨‍👩‍👧 ❤️ 🇻🇳",
		"\x00\x1b\x7f\t\v", "a\xff\xfeb", "ǅ ﬁ ① ²", "Ωμέγα ΐ", "\u00a0\u2003\u3000", "한국어 日本語",
		"ĐĐđđ\u0111\u0323", "\xf3Á\xc3", "a\u0308\u0301", "\uFEFF\u200B\u200D", "{}[]~|^€\\\f", "`´¨",
	}
	var inputs []string
	for _, a := range seeds {
		for _, b := range seeds {
			inputs = append(inputs, a+b, a+"\n"+b)
		}
	}
	for r := rune(0); r < 0x3000; r++ {
		inputs = append(inputs, string(r), "x"+string(r)+"y")
	}
	for r := rune(0x1E00); r < 0x1F00; r++ { // Latin Extended Additional: Vietnamese
		inputs = append(inputs, string(r))
	}
	for _, s := range inputs {
		p := Plain(s)
		if enc := Count(p).Encoding; enc != GSM7 {
			t.Fatalf("Count(Plain(%q)) = %v (Plain = %q)", s, enc, p)
		}
		if pp := Plain(p); pp != p {
			t.Fatalf("Plain not idempotent on %q: %q then %q", s, p, pp)
		}
		if s != "" && p == "" {
			t.Fatalf("Plain(%q) is empty", s)
		}
		var perLine []string
		for l := range strings.SplitSeq(s, "\n") {
			perLine = append(perLine, Plain(l))
		}
		if joined := strings.Join(perLine, "\n"); joined != p {
			t.Fatalf("Plain(%q) = %q, line by line %q", s, p, joined)
		}
		if utf8.ValidString(s) && !utf8.ValidString(p) {
			t.Fatalf("Plain(%q) = %q is not valid UTF-8", s, p)
		}
	}
}

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		in      string
		want    Policy
		wantErr bool
	}{
		{"", Auto, false},
		{"auto", Auto, false},
		{"AUTO", Auto, false},
		{"keep", Keep, false},
		{"Keep", Keep, false},
		{"strip", Strip, false},
		{"STRIP", Strip, false},
		{" strip\n", Strip, false},
		{"none", Auto, true},
		{"stripped", Auto, true},
		{"1", Auto, true},
	}
	for _, tt := range tests {
		got, err := ParsePolicy(tt.in)
		if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
			t.Errorf("ParsePolicy(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	for _, p := range []Policy{Auto, Keep, Strip} {
		if got, err := ParsePolicy(p.String()); err != nil || got != p {
			t.Errorf("ParsePolicy(%q) = %v, %v", p, got, err)
		}
	}
}
