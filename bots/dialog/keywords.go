package dialog

import "tracegate/core"

// keywords maps every command word, folded (no accents, upper case, no
// spaces), to its intent: Vietnamese first, then English. Two-word
// keywords (`NHẬT KÝ`) are matched by joining two words.
var keywords = map[string]Intent{
	"TX": IntentLookup, "TRACUU": IntentLookup, "LOOKUP": IntentLookup, "CHECK": IntentLookup,
	"GY": IntentFeedback, "GOPY": IntentFeedback, "FEEDBACK": IntentFeedback,
	"HD": IntentHelp, "HUONGDAN": IntentHelp, "TROGIUP": IntentHelp, "?": IntentHelp, "HELP": IntentHelp,
	"VI": IntentLang, "TIENGVIET": IntentLang, "EN": IntentLang, "ENGLISH": IntentLang,
	"STOP": IntentStop, "TUCHOI": IntentStop,
	"START": IntentStart, "BATDAU": IntentStart,
	"LO": IntentLots, "LOT": IntentLots, "LOTS": IntentLots,
	"NK": IntentDiary, "NHATKY": IntentDiary, "DIARY": IntentDiary, "LOG": IntentDiary,
	"XOA": IntentUndo, "UNDO": IntentUndo,
	"KH": IntentActivate, "KICHHOAT": IntentActivate, "ACTIVATE": IntentActivate,
	"HUY": IntentVoid, "VOID": IntentVoid,
	"TL": IntentReply, "TRALOI": IntentReply, "REPLY": IntentReply,
}

// langKeywords says which language a language keyword picks.
var langKeywords = map[string]core.Lang{
	"VI": core.LangVI, "TIENGVIET": core.LangVI, "EN": core.LangEN, "ENGLISH": core.LangEN,
}

// newLotWords follow LO to open a lot: LO MOI, LOT NEW.
var newLotWords = map[string]bool{"MOI": true, "NEW": true}

// skipWords answer an optional question with nothing: K, KHONG, SKIP.
var skipWords = map[string]bool{"K": true, "KHONG": true, "KO": true, "SKIP": true, "NO": true, "-": true}

// stepByKeyword finds a diary step by its Vietnamese or English keyword.
func stepByKeyword(key string) (core.Step, bool) {
	for _, s := range core.Steps {
		if key == s.VI || key == s.EN {
			return s.Step, true
		}
	}
	step, ok := stepAliases[key]
	return step, ok
}

// stepAliases are the longer words farmers also type for a step.
var stepAliases = map[string]core.Step{
	"THUHOACH": core.StepHarvest, "BONPHAN": core.StepFeed, "PHUNTHUOC": core.StepSpray,
	"THAGIONG": core.StepSow, "TUOINUOC": core.StepWater,
}
