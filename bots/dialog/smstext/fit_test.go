package smstext

import (
	"strings"
	"testing"
)

// lines builds Lines from texts with Drop 0.
func lines(texts ...string) []Line {
	ls := make([]Line, len(texts))
	for i, t := range texts {
		ls[i] = Line{Text: t}
	}
	return ls
}

func TestFitPolicies(t *testing.T) {
	short := lines("Đã kích hoạt 300 tem cho lô L7.", "Cảm ơn Anh/Chị!")
	accented := "Đã kích hoạt 300 tem cho lô L7.\nCảm ơn Anh/Chị!"
	plain := "Da kich hoat 300 tem cho lo L7.\nCam on Anh/Chi!"

	// 45 UCS-2 units make one part accented or not, so Auto keeps accents.
	// 140 make three parts accented (70 < 140 <= 3×67) but one plain.
	long := lines(strings.Repeat("Mật ong rừng. ", 10))
	longPlain := strings.Repeat("Mat ong rung. ", 10)
	// 100 accented units take two parts; plain fits one. Auto strips.
	two := lines(strings.Repeat("ạ", 50), strings.Repeat("b", 49))

	tests := []struct {
		name   string
		lines  []Line
		policy Policy
		budget int
		want   Fitted
	}{
		{"keep", short, Keep, 1, Fitted{Text: accented, Segments: Segments{UCS2, 47, 1}}},
		{"strip", short, Strip, 1, Fitted{Text: plain, Segments: Segments{GSM7, 47, 1}, Stripped: true}},
		{"auto keeps accents at same parts", short, Auto, 1, Fitted{Text: accented, Segments: Segments{UCS2, 47, 1}}},
		{"auto strips when it saves parts", long, Auto, 5, Fitted{Text: longPlain, Segments: Segments{GSM7, 140, 1}, Stripped: true}},
		{"keep takes the parts", long, Keep, 5, Fitted{Text: strings.Repeat("Mật ong rừng. ", 10), Segments: Segments{UCS2, 140, 3}}},
		{"auto strips to save one part", two, Auto, 2, Fitted{Text: strings.Repeat("a", 50) + "\n" + strings.Repeat("b", 49), Segments: Segments{GSM7, 100, 1}, Stripped: true}},
		{"auto on text without accents", lines("Hello", "L7"), Auto, 1, Fitted{Text: "Hello\nL7", Segments: Segments{GSM7, 8, 1}}},
		{"strip on text without accents", lines("Hello"), Strip, 1, Fitted{Text: "Hello", Segments: Segments{GSM7, 5, 1}}},
		// é is GSM-7: stripping it saves nothing.
		{"auto keeps GSM accents", lines("Café L7"), Auto, 1, Fitted{Text: "Café L7", Segments: Segments{GSM7, 7, 1}}},
		{"unknown policy is auto", short, Policy(42), 1, Fitted{Text: accented, Segments: Segments{UCS2, 47, 1}}},
		{"empty lines skipped", []Line{{Text: ""}, {Text: "a"}, {Text: ""}, {Text: "b"}}, Keep, 1, Fitted{Text: "a\nb", Segments: Segments{GSM7, 3, 1}}},
		{"no lines", nil, Auto, 1, Fitted{}},
		{"only empty lines", lines("", ""), Strip, 1, Fitted{}},
		{"budget below 1 is 1", lines(strings.Repeat("a", 200)), Keep, 0, Fitted{Text: strings.Repeat("a", 157) + "...", Segments: Segments{GSM7, 160, 1}, Cut: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Fit(tt.lines, tt.policy, tt.budget)
			if got != tt.want {
				t.Errorf("Fit = %+v\nwant  %+v", got, tt.want)
			}
		})
	}
}

// TestFitAutoContent covers Auto when the budget, not the part count,
// decides: the accented reply must lose a line that the plain one keeps.
func TestFitAutoContent(t *testing.T) {
	ls := []Line{
		{Text: "Đã kích hoạt 300 tem cho lô L7."},                     // 31
		{Text: "Mật ong rừng U Minh Hạ, thu hoạch tháng 4.", Drop: 1}, // 42
		{Text: "https://tg.vn/v/AB12"},                                // 20
	}
	// Accented: 31+1+42+1+20 = 95 units > 70, so the Drop 1 line goes
	// (52 units). Plain: 95 septets fit 160 with every line.
	got := Fit(ls, Auto, 1)
	want := "Da kich hoat 300 tem cho lo L7.\nMat ong rung U Minh Ha, thu hoach thang 4.\nhttps://tg.vn/v/AB12"
	if got.Text != want || !got.Stripped || got.Cut || got.Segments.Parts != 1 {
		t.Errorf("Auto budget 1 = %+v, want %q stripped, not cut", got, want)
	}
	// With two parts the accented reply keeps everything, but in two
	// parts against one: still strip.
	got = Fit(ls, Auto, 2)
	if !got.Stripped || got.Cut || got.Segments != (Segments{GSM7, 95, 1}) {
		t.Errorf("Auto budget 2 = %+v, want plain, 1 part", got)
	}
	// Keep at budget 2 sends it all accented.
	got = Fit(ls, Keep, 2)
	if got.Stripped || got.Cut || got.Segments != (Segments{UCS2, 95, 2}) {
		t.Errorf("Keep budget 2 = %+v, want accented, 2 parts", got)
	}
	// Keep at budget 1 loses the line.
	got = Fit(ls, Keep, 1)
	if want := "Đã kích hoạt 300 tem cho lô L7.\nhttps://tg.vn/v/AB12"; got.Text != want || !got.Cut {
		t.Errorf("Keep budget 1 = %+v, want %q cut", got, want)
	}
}

// TestFitAutoNeverTradesContentForParts: plain saves a part only by losing
// a line (each "…" becomes three septets), so Auto keeps the accents.
func TestFitAutoNeverTradesContentForParts(t *testing.T) {
	ls := []Line{
		{Text: "ạ" + strings.Repeat("…", 50)},    // 51 units accented, 151 septets plain
		{Text: strings.Repeat("…", 80), Drop: 1}, // 80 units accented, 240 septets plain
	}
	// Accented: 132 units, two parts, nothing cut. Plain: 392 septets is
	// over two parts, so the Drop 1 line goes and one part is left.
	if p := Fit(ls, Strip, 2); !p.Cut || p.Segments.Parts != 1 {
		t.Fatalf("Strip = %+v, want cut to one part", p)
	}
	got := Fit(ls, Auto, 2)
	if got.Stripped || got.Cut || got.Segments != (Segments{UCS2, 132, 2}) {
		t.Errorf("Auto = %+v, want accented and whole", got)
	}
}

func TestFitDropOrder(t *testing.T) {
	a := strings.Repeat("a", 50)
	ls := []Line{
		{Text: "1" + a, Drop: 0},
		{Text: "2" + a, Drop: 2},
		{Text: "3" + a, Drop: 1},
		{Text: "4" + a, Drop: 2},
		{Text: "5" + a, Drop: 0},
	}
	// Each line is 51 septets; n lines take 52n-1. One part (160) holds 3.
	tests := []struct {
		budget int
		keep   string // first characters of the kept lines
		cut    bool
	}{
		{3, "12345", false},
		{2, "12345", false}, // 259 septets, 2 parts
		// 1 part: drop Drop 2 lines, later first (4 then 2): "1235" is
		// 207 > 160, "135" is 155.
		{1, "135", true},
	}
	for _, tt := range tests {
		got := Fit(ls, Keep, tt.budget)
		var firsts strings.Builder
		for l := range strings.SplitSeq(got.Text, "\n") {
			firsts.WriteByte(l[0])
		}
		if firsts.String() != tt.keep || got.Cut != tt.cut {
			t.Errorf("budget %d: kept %q cut %v, want %q cut %v", tt.budget, firsts.String(), got.Cut, tt.keep, tt.cut)
		}
	}
	// Ties: the later line goes first. 4 lines of 51 = 207; dropping the
	// later Drop 2 line leaves 155.
	tie := []Line{{Text: "1" + a}, {Text: "2" + a, Drop: 2}, {Text: "3" + a, Drop: 2}, {Text: "4" + a}}
	if got := Fit(tie, Keep, 1); got.Text != "1"+a+"\n2"+a+"\n4"+a {
		t.Errorf("tie: got %q", got.Text)
	}
	// A more droppable line never outlives a less droppable one, even if
	// it is short enough to fit.
	prio := []Line{{Text: strings.Repeat("k", 100)}, {Text: strings.Repeat("m", 70), Drop: 1}, {Text: "x", Drop: 5}}
	if got := Fit(prio, Keep, 1); got.Text != strings.Repeat("k", 100) {
		t.Errorf("priority: got %q", got.Text)
	}
}

func TestFitTruncation(t *testing.T) {
	link := "https://tg.vn/v/AB12CD34" // 24
	t.Run("longest kept line, not the last", func(t *testing.T) {
		ls := []Line{
			{Text: "Sản phẩm chính hãng."},              // 20
			{Text: strings.Repeat("Mật ong rừng. ", 6)}, // 84
			{Text: "Chi tiết", Drop: 1},
			{Text: link},
		}
		got := Fit(ls, Keep, 1)
		// 70 units: 20 + 1 + (x + 1 for "…") + 1 + 24 → x = 23 runes,
		// trailing space trimmed.
		want := "Sản phẩm chính hãng.\nMật ong rừng. Mật ong r…\n" + link
		if got.Text != want || !got.Cut || got.Segments != (Segments{UCS2, 70, 1}) {
			t.Errorf("got %+v\nwant %q", got, want)
		}
	})
	t.Run("GSM text gets three dots", func(t *testing.T) {
		ls := lines(strings.Repeat("x", 200), link)
		got := Fit(ls, Keep, 1)
		want := strings.Repeat("x", 160-25-3) + "...\n" + link
		if got.Text != want || got.Segments != (Segments{GSM7, 160, 1}) {
			t.Errorf("got %+v\nwant %q", got, want)
		}
	})
	t.Run("strip gets three dots", func(t *testing.T) {
		ls := lines(strings.Repeat("ạ", 200), link)
		got := Fit(ls, Strip, 1)
		want := strings.Repeat("a", 160-25-3) + "...\n" + link
		if got.Text != want || !got.Stripped || !got.Cut {
			t.Errorf("got %+v\nwant %q", got, want)
		}
	})
	t.Run("truncation drops the only non-GSM rune", func(t *testing.T) {
		// Cutting the ư away makes the text GSM-7, so "..." and 160 septets.
		ls := lines(strings.Repeat("x", 150)+"ư"+strings.Repeat("x", 50), link)
		got := Fit(ls, Keep, 1)
		if got.Segments.Encoding != GSM7 || !strings.HasSuffix(got.Text, "...\n"+link) {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("lines too long drop before the last is cut", func(t *testing.T) {
		long := strings.Repeat("y", 300)
		ls := lines("short", long)
		got := Fit(ls, Keep, 1)
		want := strings.Repeat("y", 157) + "..."
		if got.Text != want || !got.Cut {
			t.Errorf("got %q, want %q", got.Text, want)
		}
	})
	t.Run("last line alone over budget", func(t *testing.T) {
		got := Fit(lines(strings.Repeat("ư", 500)), Keep, 2)
		want := strings.Repeat("ư", 133) + "…"
		if got.Text != want || got.Segments != (Segments{UCS2, 134, 2}) {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("emoji at the cut moves whole", func(t *testing.T) {
		got := Fit(lines(strings.Repeat("🍯", 100)), Keep, 1)
		want := strings.Repeat("🍯", 34) + "…" // 69 units; another pair would be 71
		if got.Text != want || got.Segments != (Segments{UCS2, 69, 1}) {
			t.Errorf("got %+v", got)
		}
	})
}

// TestFitNeverOverBudget fits many replies to many budgets.
func TestFitNeverOverBudget(t *testing.T) {
	texts := []string{
		"Đã kích hoạt 300 tem cho lô L7.", strings.Repeat("Mật ong rừng U Minh Hạ. ", 9),
		strings.Repeat("€{", 90), strings.Repeat("🍯", 80), "https://tg.vn/v/AB12", strings.Repeat("x ", 170), " ",
	}
	for budget := 1; budget <= 4; budget++ {
		for _, policy := range []Policy{Auto, Keep, Strip} {
			for i := range texts {
				for j := range texts {
					for k := range texts {
						ls := []Line{{Text: texts[i]}, {Text: texts[j], Drop: 1 + k%2}, {Text: texts[k]}}
						got := Fit(ls, policy, budget)
						if got.Segments != Count(got.Text) || got.Segments.Parts > budget || got.Text == "" {
							t.Fatalf("Fit(%+v, %v, %d) = %+v", ls, policy, budget, got)
						}
					}
				}
			}
		}
	}
}

// TestSizeFits checks the shortcut Fit takes against Count of the joined
// lines.
func TestSizeFits(t *testing.T) {
	pieces := []string{"a", "€", "ạ", "🍯", " "}
	for _, p := range pieces {
		for _, q := range pieces {
			for n := 0; n < 120; n += 3 {
				for m := 1; m < 340; m += 7 {
					ls := []fitLine{{text: strings.Repeat(p, n) + q}, {text: strings.Repeat(q, m)}, {text: p}}
					var total size
					for _, l := range ls {
						total = total.plus(sizeOf(l.text))
					}
					joined := joinLines(ls, nil)
					for budget := 1; budget <= 4; budget++ {
						want := Count(joined).Parts <= budget
						if got := total.fits(budget, func() string { return joined }); got != want {
							t.Fatalf("fits(%q, %d) = %v, want %v", joined, budget, got, want)
						}
					}
				}
			}
		}
	}
}

func BenchmarkFit(b *testing.B) {
	ls := []Line{
		{Text: "Đã kích hoạt 300 tem cho lô L7."},
		{Text: "Mật ong rừng U Minh Hạ, thu hoạch tháng 4, đóng chai tại Cà Mau.", Drop: 1},
		{Text: "Cảm ơn Anh/Chị đã tin dùng sản phẩm!", Drop: 2},
		{Text: "https://tg.vn/v/AB12CD34"},
	}
	for b.Loop() {
		Fit(ls, Auto, 1)
	}
}
