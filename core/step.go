package core

// Step is what happened in a diary entry.
type Step string

const (
	StepSow     Step = "sow"     // sowing, stocking seed or fry
	StepPlant   Step = "plant"   // planting, transplanting
	StepFeed    Step = "feed"    // fertilising, feeding
	StepSpray   Step = "spray"   // a pesticide or treatment (name, dose)
	StepWater   Step = "water"   // watering, water change
	StepHarvest Step = "harvest" // harvest (quantity)
	StepProcess Step = "process" // processing
	StepPack    Step = "pack"    // packing
	StepOther   Step = "other"   // anything else
)

// StepInfo is a step with the keywords people type for it.
type StepInfo struct {
	Step Step
	VI   string // Vietnamese keyword, without accents
	EN   string // English keyword
}

// Steps lists the diary steps in the order a season runs; menus use it.
var Steps = []StepInfo{
	{StepSow, "GIEO", "SOW"},
	{StepPlant, "TRONG", "PLANT"},
	{StepFeed, "BON", "FEED"},
	{StepSpray, "PHUN", "SPRAY"},
	{StepWater, "TUOI", "WATER"},
	{StepHarvest, "THU", "HARVEST"},
	{StepProcess, "CHEBIEN", "PROCESS"},
	{StepPack, "DONGGOI", "PACK"},
	{StepOther, "KHAC", "OTHER"},
}

// Valid reports whether s is one of the steps.
func (s Step) Valid() bool {
	for _, info := range Steps {
		if info.Step == s {
			return true
		}
	}
	return false
}
