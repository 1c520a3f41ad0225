package smstext

// Encoding is the character set a text travels in over SMS.
type Encoding int

const (
	// GSM7 is the GSM 03.38 default alphabet: 7-bit septets, 160 per single message.
	GSM7 Encoding = iota
	// UCS2 is UTF-16 (in practice; handsets accept surrogate pairs): 70 code units per single message.
	UCS2
)

// String names the encoding the way SMS gateways and logs spell it.
func (e Encoding) String() string {
	switch e {
	case GSM7:
		return "GSM-7"
	case UCS2:
		return "UCS-2"
	}
	return "Encoding(?)"
}

// Segments describes how a text travels as SMS.
type Segments struct {
	Encoding Encoding
	Units    int // septets for GSM-7 (extension-table characters count 2), UTF-16 code units for UCS-2
	Parts    int // number of SMS parts: 0 for empty text
}

// Capacities of one part. A concatenated message spends 6 octets of every
// part on the user data header (UDH), which leaves 153 septets or 67 UTF-16
// code units.
const (
	gsmSingle  = 160
	gsmMulti   = 153
	ucs2Single = 70
	ucs2Multi  = 67
)

// The GSM 03.38 tables exactly as the handset reads them. The escape
// character (0x1B) is in the basic table only to introduce the extension
// table; user text must not contain it, so it is removed in init.
const (
	gsmBasicTable = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtTable   = "\f^{}\\[~]|€"
)

// septetsLow holds the septet cost (1 basic, 2 extension, 0 not GSM-7) of
// every rune below len(septetsLow), which covers Latin-1 and Greek, so the
// common case is one array index; the only rune above it is €.
var (
	septetsLow  [0x400]uint8
	septetsHigh = map[rune]uint8{}
)

func init() {
	set := func(r rune, n uint8) {
		if int(r) < len(septetsLow) {
			septetsLow[r] = n
		} else {
			septetsHigh[r] = n
		}
	}
	for _, r := range gsmBasicTable {
		set(r, 1)
	}
	for _, r := range gsmExtTable {
		set(r, 2)
	}
	set('\x1b', 0)
}

// septets returns the GSM-7 cost of r: 1 for the basic table, 2 for the
// extension table (escape + character), 0 when r is not GSM-7 at all.
func septets(r rune) int {
	if r >= 0 && int(r) < len(septetsLow) {
		return int(septetsLow[r])
	}
	return int(septetsHigh[r])
}

// isGSM reports whether every rune of s can be sent in GSM-7.
func isGSM(s string) bool {
	for _, r := range s {
		if septets(r) == 0 {
			return false
		}
	}
	return true
}

// filler counts parts of a concatenated message by filling them greedily.
// A character is never split across parts (the escape of an extension
// character must travel with it, and handsets reject half a surrogate
// pair), so a character that does not fit in what is left of a part starts
// the next one. Greedy filling is optimal for splitting a sequence into
// contiguous parts, so this is the exact count.
type filler struct {
	parts, fill int
}

func (f *filler) add(w, capacity int) {
	if f.parts == 0 || f.fill+w > capacity {
		f.parts++
		f.fill = w
		return
	}
	f.fill += w
}

// Count returns how s travels as SMS: GSM-7 when every rune is in the GSM
// 03.38 basic or extension table, else UCS-2. A text that fits one message
// (160 septets / 70 units) is one part; a longer one is split into parts of
// 153 septets / 67 units, never splitting an extension character or a
// surrogate pair, so it may need more parts than Units divided by the part
// size.
//
// Invalid UTF-8 is counted as U+FFFD per bad byte, as range over a string
// decodes it; such a text is UCS-2.
func Count(s string) Segments {
	// One pass counts both encodings; the GSM-7 count is abandoned at the
	// first rune GSM-7 can not carry.
	gsm := true
	var septs, units int
	var gsmParts, ucsParts filler
	for _, r := range s {
		u := 1
		if r >= 0x10000 {
			u = 2 // surrogate pair
		}
		units += u
		ucsParts.add(u, ucs2Multi)
		if gsm {
			w := septets(r)
			if w == 0 {
				gsm = false
				continue
			}
			septs += w
			gsmParts.add(w, gsmMulti)
		}
	}
	switch {
	case gsm && septs == 0:
		return Segments{Encoding: GSM7}
	case gsm && septs <= gsmSingle:
		return Segments{Encoding: GSM7, Units: septs, Parts: 1}
	case gsm:
		return Segments{Encoding: GSM7, Units: septs, Parts: gsmParts.parts}
	case units <= ucs2Single:
		return Segments{Encoding: UCS2, Units: units, Parts: 1}
	default:
		return Segments{Encoding: UCS2, Units: units, Parts: ucsParts.parts}
	}
}
