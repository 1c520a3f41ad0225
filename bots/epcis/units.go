package epcis

import (
	"encoding/json"
	"math/big"
	"strings"

	"tracegate/core"
)

// uom is a unit's UN/ECE Recommendation 20 code, and what to multiply by
// when Rec 20 has no code for the unit itself.
type uom struct {
	code   string
	factor int64
}

// uoms maps every core.Unit. yến (10 kg) has no Rec 20 code (DJ is a
// decagram), so it is written in kilograms; tạ is a decitonne (DTN, the
// metric quintal) and công a decare (DAA, 1,000 m²), as in the Mekong
// Delta. Counted things, bags and cartons included, are pieces (H87): Rec
// 21 package codes are not units.
var uoms = map[core.Unit]uom{
	"kg": {"KGM", 1}, "g": {"GRM", 1}, "tan": {"TNE", 1}, "ta": {"DTN", 1}, "yen": {"KGM", 10},
	"l": {"LTR", 1}, "ml": {"MLT", 1},
	"bao": {"H87", 1}, "con": {"H87", 1}, "cay": {"H87", 1}, "chai": {"H87", 1}, "hop": {"H87", 1},
	"goi": {"H87", 1}, "thung": {"H87", 1},
	"m2": {"MTK", 1}, "ha": {"HAR", 1}, "cong": {"DAA", 1},
}

// measure is q as an exact JSON number and its Rec 20 code.
func measure(q core.Quantity) (json.Number, string) {
	u, ok := uoms[q.Unit]
	if !ok { // a unit added to core but not here: say how many, not of what
		return json.Number(q.Value), ""
	}
	if u.factor == 1 {
		return json.Number(q.Value), u.code
	}
	r, _ := new(big.Rat).SetString(q.Value)
	r.Mul(r, big.NewRat(u.factor, 1))
	s := strings.TrimSuffix(strings.TrimRight(r.FloatString(3), "0"), ".")
	return json.Number(s), u.code
}

// quantity is an element of class, with q's amount when there is one.
func quantity(class string, q *core.Quantity) Quantity {
	if q == nil {
		return Quantity{EPCClass: class}
	}
	n, code := measure(*q)
	return Quantity{EPCClass: class, Quantity: n, UOM: code}
}
