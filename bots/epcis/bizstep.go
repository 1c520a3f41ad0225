package epcis

import (
	"slices"

	"tracegate/core"
)

// bizStepOf is the CBV 2.0 business step of a kind of event (and a diary
// step). CBV has no steps for growing things, so sowing, planting,
// feeding, spraying and watering are "other", CBV's word for a step it does
// not list, with the step itself in tg:step: a bizStep URI of our own would
// make documents only CBV-Compatible, not CBV-Compliant. A harvest and a
// processing are creating_class_instance, not commissioning: they make
// more of a lot (a class, the LGTIN), and CBV keeps commissioning for
// giving an instance its identifier, which is what activating stamps does.
// A recall is holding: the lot is kept from sale, disposition recalled.
func bizStepOf(kind core.EventKind, step core.Step) string {
	switch kind {
	case core.EventActivation:
		return "commissioning"
	case core.EventVoid:
		return "decommissioning"
	case core.EventInput:
		return "receiving"
	case core.EventShipment:
		return "shipping"
	case core.EventRecall:
		return "holding"
	}
	switch step {
	case core.StepHarvest, core.StepProcess:
		return "creating_class_instance"
	case core.StepPack:
		return "packing"
	}
	return "other"
}

var nonDiaryKinds = []core.EventKind{core.EventActivation, core.EventVoid, core.EventInput,
	core.EventShipment, core.EventRecall}

// Filter narrows f to the events whose bizStep is bizStep: emitted is false
// for a CBV step tracegate never emits (no event can match), and the error
// is EINVALID for a word that is not a CBV 2.0 bizStep.
func Filter(f *core.EventFilter, bizStep string) (emitted bool, err error) {
	if !slices.Contains(cbvBizSteps, bizStep) {
		return false, core.Errorf(core.EINVALID, "biz_step %q is not a CBV 2.0 business step (a bare word: shipping)", bizStep)
	}
	f.Kinds, f.Steps = nil, nil
	for _, kind := range nonDiaryKinds {
		if bizStepOf(kind, "") == bizStep {
			f.Kinds = append(f.Kinds, kind)
		}
	}
	for _, info := range core.Steps {
		if bizStepOf(core.EventDiary, info.Step) == bizStep {
			f.Steps = append(f.Steps, info.Step)
		}
	}
	return len(f.Kinds)+len(f.Steps) > 0, nil
}

// cbvBizSteps are CBV 2.0's business steps as EPCIS 2.0 JSON writes them.
var cbvBizSteps = []string{"accepting", "arriving", "assembling", "collecting", "commissioning",
	"consigning", "creating_class_instance", "cycle_counting", "decommissioning", "departing",
	"destroying", "disassembling", "dispensing", "encoding", "entering_exiting", "holding",
	"inspecting", "installing", "killing", "loading", "other", "packing", "picking", "receiving",
	"removing", "repackaging", "repairing", "replacing", "reserving", "retail_selling", "sampling",
	"sensor_reporting", "shipping", "staging_outbound", "stock_taking", "stocking", "storing",
	"transporting", "unloading", "unpacking", "void_shipping"}
