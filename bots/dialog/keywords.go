package dialog

import "tracegate/core"

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
