package core

import (
	"math/big"
	"slices"
	"strings"
)

// Unit is a unit of quantity as typed in the Mekong Delta.
type Unit string

// Units lists the accepted units: kg, g, tan (tonne), ta (100 kg), yen
// (10 kg), l, ml, bao (bag), con (head), cay (plant), m2, ha, cong
// (1,000 m2 in the Mekong Delta), and what products ship in: chai
// (bottle), hop (box), goi (pack), thung (carton).
var Units = []Unit{"kg", "g", "tan", "ta", "yen", "l", "ml", "bao", "con", "cay", "m2", "ha", "cong",
	"chai", "hop", "goi", "thung"}

// Valid reports whether u is an accepted unit.
func (u Unit) Valid() bool {
	return slices.Contains(Units, u)
}

// Quantity is an amount with its unit. Value is a canonical decimal string
// (a dot, no exponent) so no float ever rounds a harvest.
type Quantity struct {
	Value string
	Unit  Unit
}

// maxQuantity keeps values inside the database's numeric(15,3).
var maxQuantity = big.NewRat(999_999_999_999, 1)

// ParseQuantity reads an amount typed with a Vietnamese decimal comma
// (`2,5`) or a dot, and a unit keyword.
func ParseQuantity(value, unit string) (Quantity, error) {
	u := Unit(strings.ToLower(Fold(strings.TrimSpace(unit))))
	if !u.Valid() {
		return Quantity{}, Errorf(EINVALID, "unknown unit %q", unit)
	}
	v := strings.Replace(strings.TrimSpace(value), ",", ".", 1)
	r, ok := new(big.Rat).SetString(v)
	if !ok || strings.ContainsAny(v, "eE/") {
		return Quantity{}, Errorf(EINVALID, "%q is not a number", value)
	}
	if r.Sign() <= 0 || r.Cmp(maxQuantity) > 0 {
		return Quantity{}, Errorf(EINVALID, "quantity %s must be above 0 and below a trillion", value)
	}
	if !r.Mul(r, big.NewRat(1000, 1)).IsInt() {
		return Quantity{}, Errorf(EINVALID, "quantity %s has more than 3 decimals", value)
	}
	r.Quo(r, big.NewRat(1000, 1))
	return Quantity{Value: trimDecimal(r.FloatString(3)), Unit: u}, nil
}

func trimDecimal(s string) string {
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
