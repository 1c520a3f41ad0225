package smstext

import (
	"strings"
	"testing"
)

func FuzzFit(f *testing.F) {
	f.Add("Đã kích hoạt 300 tem cho lô L7.\nCảm ơn Anh/Chị!\nhttps://tg.vn/v/AB12", uint8(2), uint8(1))
	f.Add(strings.Repeat("Mật ong rừng U Minh Hạ 🍯\n", 12), uint8(0xAA), uint8(3))
	f.Add(strings.Repeat("€", 200)+"\n"+strings.Repeat("a", 152)+"{", uint8(1), uint8(0))
	f.Add("\u0301\n\n \n\x1b\xff", uint8(0xFF), uint8(255))
	f.Add(strings.Repeat("…", 300), uint8(0), uint8(2))
	f.Fuzz(func(t *testing.T, text string, drop uint8, budget uint8) {
		var ls []Line
		hasText := false
		for i, s := range strings.Split(text, "\n") {
			d := 0
			if drop&(1<<(i%8)) != 0 {
				d = 1 + (i+int(drop))%3
			}
			ls = append(ls, Line{Text: s, Drop: d})
			hasText = hasText || strings.TrimSpace(s) != ""
		}
		budgets := []int{1, 2, 3, 4, 1 + int(budget%8)}
		for _, b := range budgets {
			for _, p := range []Policy{Auto, Keep, Strip} {
				got := Fit(ls, p, b)
				if got.Segments.Parts > b {
					t.Fatalf("Fit(%q, %v, %d): %d parts", text, p, b, got.Segments.Parts)
				}
				if hasText && got.Text == "" {
					t.Fatalf("Fit(%q, %v, %d): empty text", text, p, b)
				}
				if c := Count(got.Text); got.Segments != c {
					t.Fatalf("Fit(%q, %v, %d): Segments %+v, Count %+v", text, p, b, got.Segments, c)
				}
				if p == Strip && got.Segments.Encoding != GSM7 {
					t.Fatalf("Fit(%q, Strip, %d): %v", text, b, got.Segments.Encoding)
				}
				if !got.Cut {
					var want []string
					for _, l := range ls {
						if l.Text != "" {
							want = append(want, l.Text)
						}
					}
					joined := strings.Join(want, "\n")
					if got.Stripped {
						joined = Plain(joined)
					}
					if got.Text != joined {
						t.Fatalf("Fit(%q, %v, %d) not cut but %q != %q", text, p, b, got.Text, joined)
					}
				}
			}
		}
	})
}
