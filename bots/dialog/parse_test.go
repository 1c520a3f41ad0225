package dialog

import (
	"reflect"
	"testing"

	"tracegate/core"
)

func qty(v string, u core.Unit) *core.Quantity { return &core.Quantity{Value: v, Unit: u} }

func rng(from, to int64) *core.SerialRange { return &core.SerialRange{From: from, To: to} }

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Command
	}{
		// Lookups: a code alone, or after TX, however typed.
		{"4K7M2QX95", Command{Intent: IntentLookup, Code: "4K7M2QX95"}},
		{" 4k7m-2qx9-5 ", Command{Intent: IntentLookup, Code: "4k7m-2qx9-5"}},
		{"4K7M 2QX9 5", Command{Intent: IntentLookup, Code: "4K7M 2QX9 5"}},
		{"ABCDEFGHJ", Command{Intent: IntentLookup, Code: "ABCDEFGHJ"}},
		{"4K7M2QX9", Command{Intent: IntentLookup, Code: "4K7M2QX9"}}, // a symbol short: mistyped
		{"TX 4K7M2QX95", Command{Intent: IntentLookup, Keyword: "TX", Code: "4K7M2QX95"}},
		{"482913", Command{Intent: IntentLink, Text: "482913"}},
		{" 482913 ", Command{Intent: IntentLink, Text: "482913"}},
		{"LIENKET", Command{Intent: IntentLink, Keyword: "LIENKET"}},
		{"liên kết 482913", Command{Intent: IntentLink, Keyword: "liên kết", Text: "482913"}},
		{"LINK 482913", Command{Intent: IntentLink, Keyword: "LINK", Text: "482913"}},
		{"082913", Command{Intent: IntentLookup, Code: "082913"}}, // no code starts with 0: a stamp code mistyped
		{"tra cứu 4K7M-2QX9-5", Command{Intent: IntentLookup, Keyword: "tra cứu", Code: "4K7M-2QX9-5"}},
		{"TX", Command{Intent: IntentLookup, Keyword: "TX"}},
		// Feedback keeps its text exactly.
		{"GY 4K7M2QX95 mật ong ngon, đóng gói đẹp!", Command{Intent: IntentFeedback, Keyword: "GY",
			Code: "4K7M2QX95", Text: "mật ong ngon, đóng gói đẹp!"}},
		{"góp ý 4K7M 2QX9 5   Rất  thơm", Command{Intent: IntentFeedback, Keyword: "góp ý",
			Code: "4K7M 2QX9 5", Text: "Rất  thơm"}},
		{"GY 4K7M2QX95", Command{Intent: IntentFeedback, Keyword: "GY", Code: "4K7M2QX95"}},
		{"feedback", Command{Intent: IntentFeedback, Keyword: "feedback"}},
		// Reports of fakes: the code first, or after the place; "bao" with
		// no code is an everyday word.
		{"BAO 4K7M2QX95 cho Phuong 8", Command{Intent: IntentReport, Keyword: "BAO", Code: "4K7M2QX95", Text: "cho Phuong 8"}},
		{"báo 4K7M-2QX9-5 chợ Năm Căn", Command{Intent: IntentReport, Keyword: "báo", Code: "4K7M-2QX9-5", Text: "chợ Năm Căn"}},
		{"BAO 4K7M 2QX9 5 Sông Đốc", Command{Intent: IntentReport, Keyword: "BAO", Code: "4K7M 2QX9 5", Text: "Sông Đốc"}},
		{"BAO 4K7M2QX96 chợ", Command{Intent: IntentReport, Keyword: "BAO", Code: "4K7M2QX96", Text: "chợ"}}, // mistyped, still a report
		{"Báo chợ Tắc Vân 4K7M2QX95", Command{Intent: IntentReport, Keyword: "Báo", Code: "4K7M2QX95", Text: "chợ Tắc Vân"}},
		{"BAO tiệm A, 4K7M2QX95, gần chợ", Command{Intent: IntentReport, Keyword: "BAO", Code: "4K7M2QX95", Text: "tiệm A, gần chợ"}},
		{"BAO 4K7M2QX95", Command{Intent: IntentReport, Keyword: "BAO", Code: "4K7M2QX95"}},
		{"REPORT", Command{Intent: IntentReport, Keyword: "REPORT"}},
		{"report 4K7M2QX95 Co.opmart", Command{Intent: IntentReport, Keyword: "report", Code: "4K7M2QX95", Text: "Co.opmart"}},
		{"bao nhiêu tiền?", Command{Keyword: "bao"}},
		{"Bao bì đẹp", Command{Keyword: "Bao"}},
		{"BAO cho Tac Van", Command{Keyword: "BAO"}},           // nine letters are the place's
		{"BAO chợ Tắc Vân 4K7M2QX96", Command{Keyword: "BAO"}}, // after the place, only a code that reads
		// Settings.
		{"HD", Command{Intent: IntentHelp, Keyword: "HD"}},
		{"?", Command{Intent: IntentHelp, Keyword: "?"}},
		{"hướng dẫn", Command{Intent: IntentHelp, Keyword: "hướng dẫn"}},
		{"/help", Command{Intent: IntentHelp, Keyword: "/help"}},
		{"en", Command{Intent: IntentLang, Keyword: "en", Lang: core.LangEN}},
		{"Tiếng Việt", Command{Intent: IntentLang, Keyword: "Tiếng Việt", Lang: core.LangVI}},
		{"STOP", Command{Intent: IntentStop, Keyword: "STOP"}},
		{"từ chối", Command{Intent: IntentStop, Keyword: "từ chối"}},
		{"start", Command{Intent: IntentStart, Keyword: "start"}},
		// Lots.
		{"LO", Command{Intent: IntentLots, Keyword: "LO"}},
		{"lô", Command{Intent: IntentLots, Keyword: "lô"}},
		{"LO MOI MATONG vu xuân", Command{Intent: IntentOpenLot, Keyword: "LO MOI", Product: "MATONG", Note: "vu xuân"}},
		{"lô mới mật-ong", Command{Intent: IntentOpenLot, Keyword: "lô mới", Product: "mật-ong"}},
		{"LOT NEW", Command{Intent: IntentOpenLot, Keyword: "LOT NEW"}},
		// The diary, short and accented.
		{"NK L7 BON NPK 20kg", Command{Intent: IntentDiary, Keyword: "NK", Lot: "L7", Step: core.StepFeed,
			Quantity: qty("20", "kg"), Note: "NPK"}},
		{"nhật ký l7 bón 20 kg phân NPK", Command{Intent: IntentDiary, Keyword: "nhật ký", Lot: "L7", Step: core.StepFeed,
			Quantity: qty("20", "kg"), Note: "phân NPK"}},
		{"NHAT KY L7 THU 2,5 tan", Command{Intent: IntentDiary, Keyword: "NHAT KY", Lot: "L7", Step: core.StepHarvest,
			Quantity: qty("2.5", "tan")}},
		{"nk 7 thu hoạch 2,5tấn trời nắng", Command{Intent: IntentDiary, Keyword: "nk", Lot: "7", Step: core.StepHarvest,
			Quantity: qty("2.5", "tan"), Note: "trời nắng"}},
		{"NK BON L7", Command{Intent: IntentDiary, Keyword: "NK", Lot: "L7", Step: core.StepFeed}},
		{"NK, L7, đóng gói, 370 chai", Command{Intent: IntentDiary, Keyword: "NK", Lot: "L7", Step: core.StepPack,
			Quantity: qty("370", "chai")}},
		{"NK L7 DONGGOI 12 thùng", Command{Intent: IntentDiary, Keyword: "NK", Lot: "L7", Step: core.StepPack,
			Quantity: qty("12", "thung")}},
		{"NK L7 PHUN Regent 800WG 20ml/binh", Command{Intent: IntentDiary, Keyword: "NK", Lot: "L7", Step: core.StepSpray,
			Note: "Regent 800WG 20ml/binh"}},
		{"DIARY L7 HARVEST 120 kg", Command{Intent: IntentDiary, Keyword: "DIARY", Lot: "L7", Step: core.StepHarvest,
			Quantity: qty("120", "kg")}},
		{"NK L7 THU 0kg", Command{Intent: IntentDiary, Keyword: "NK", Lot: "L7", Step: core.StepHarvest, QuantityText: "0kg"}},
		{"NK L7 THU -5kg", Command{Intent: IntentDiary, Keyword: "NK", Lot: "L7", Step: core.StepHarvest, QuantityText: "-5kg"}},
		{"NK", Command{Intent: IntentDiary, Keyword: "NK"}},
		{"NK L7", Command{Intent: IntentDiary, Keyword: "NK", Lot: "L7"}},
		{"XOA", Command{Intent: IntentUndo, Keyword: "XOA"}},
		{"xóa", Command{Intent: IntentUndo, Keyword: "xóa"}},
		// Stamps.
		{"KH L7 1201-1500", Command{Intent: IntentActivate, Keyword: "KH", Lot: "L7", Range: rng(1201, 1500)}},
		{"kích hoạt l7 1201 - 1500", Command{Intent: IntentActivate, Keyword: "kích hoạt", Lot: "L7", Range: rng(1201, 1500)}},
		{"KH 7 1201–1500", Command{Intent: IntentActivate, Keyword: "KH", Lot: "7", Range: rng(1201, 1500)}},
		{"KH L7 1203", Command{Intent: IntentActivate, Keyword: "KH", Lot: "L7", Range: rng(1203, 1203)}},
		{"KH 1201-1500", Command{Intent: IntentActivate, Keyword: "KH", Range: rng(1201, 1500)}},
		{"KH L7 abc", Command{Intent: IntentActivate, Keyword: "KH", Lot: "L7", RangeText: "abc"}},
		{"ACTIVATE L7 1 to 50", Command{Intent: IntentActivate, Keyword: "ACTIVATE", Lot: "L7", Range: rng(1, 50)}},
		{"HUY 1203", Command{Intent: IntentVoid, Keyword: "HUY", Range: rng(1203, 1203)}},
		{"hủy 1203-1205", Command{Intent: IntentVoid, Keyword: "hủy", Range: rng(1203, 1205)}},
		{"HUY", Command{Intent: IntentVoid, Keyword: "HUY"}},
		// Answers to feedback.
		{"TL 42 Cảm ơn anh!", Command{Intent: IntentReply, Keyword: "TL", FeedbackID: 42, Text: "Cảm ơn anh!"}},
		{"trả lời #42 Dạ vâng", Command{Intent: IntentReply, Keyword: "trả lời", FeedbackID: 42, Text: "Dạ vâng"}},
		{"TL", Command{Intent: IntentReply, Keyword: "TL"}},
		// Nothing we know.
		{"", Command{}},
		{"   ", Command{}},
		{"xin chào", Command{}},
		{"HELLOWORLD", Command{}},
		{"1", Command{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Parse(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Parse(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
		})
	}
}

// Accents, case and spacing never change what a command means.
func TestParseIgnoresAccentsAndCase(t *testing.T) {
	for _, pair := range [][2]string{
		{"nhật ký L7 bón 20 kg", "NHAT KY L7 BON 20 KG"},
		{"Kích Hoạt L7 1-10", "kich hoat l7 1-10"},
		{"lô mới MATONG", "LO MOI MATONG"},
		{"hủy 5", "HUY 5"},
		{"đóng gói", "DONG GOI"},
	} {
		a, b := Parse(pair[0]), Parse(pair[1])
		a.Keyword, b.Keyword = "", ""
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%q -> %+v\n%q -> %+v", pair[0], a, pair[1], b)
		}
	}
}
