package core

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// camauPlaces is the province's districts and communes as people name
// them; see the file's header for what it holds and how it is read.
//
//go:embed places/camau.tsv
var camauPlaces string

// Places is a list of districts and communes, read from free text: a
// report's "where bought" says a market, a shop and a place, in any
// spelling a phone keyboard allows.
type Places struct {
	names    map[string][]placeRef // folded words, joined by one space
	maxWords int
}

// placeRef is what a name may stand for: a district (commune ""), a
// commune of one, or nothing at all (district "-").
type placeRef struct {
	district, commune string
	// weak is a district's name read only when nothing else names a
	// place.
	weak bool
}

const notAPlace = "-"

// townPrefixes come before a commune named like its district, to say
// the commune is meant and not the district.
var townPrefixes = []string{"xa", "thi tran", "tt", "phuong"}

// numberedWard is a ward known by its number, which alone would be any
// number in the text.
var numberedWard = regexp.MustCompile(`^Phường ([0-9]{1,2})$`)

// ReadPlaces reads a list: district<TAB>commune[<TAB>other names], as
// core/places/camau.tsv describes.
func ReadPlaces(r io.Reader) (*Places, error) {
	p := &Places{names: map[string][]placeRef{}}
	seen := map[[2]string]bool{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 || len(fields) > 3 || strings.TrimSpace(fields[0]) == "" {
			return nil, fmt.Errorf("places line %d: want district<TAB>commune[<TAB>other names]", n)
		}
		district, commune := strings.TrimSpace(fields[0]), strings.TrimSpace(fields[1])
		var others []string
		if len(fields) == 3 {
			for _, o := range strings.Split(fields[2], ",") {
				if o = strings.TrimSpace(o); o != "" {
					others = append(others, o)
				}
			}
		}
		switch {
		case commune == "" && len(others) == 0:
			return nil, fmt.Errorf("places line %d names nothing", n)
		case district == notAPlace && commune != "":
			return nil, fmt.Errorf("places line %d: %q holds names, not communes", n, notAPlace)
		case commune != "" && seen[[2]string{district, commune}]:
			return nil, fmt.Errorf("places line %d: %s, %s is listed twice", n, district, commune)
		}
		seen[[2]string{district, commune}] = true
		if district != notAPlace {
			p.add(district, placeRef{district: district})
		}
		for _, o := range others {
			ref := placeRef{district: district, commune: commune}
			if name, weak := strings.CutPrefix(o, "~"); weak {
				if commune != "" {
					return nil, fmt.Errorf("places line %d: only a district's name may be marked ~", n)
				}
				o, ref.weak = name, true
			}
			p.add(o, ref)
		}
		ref := placeRef{district: district, commune: commune}
		switch m := numberedWard.FindStringSubmatch(commune); {
		case commune == "":
		case m != nil:
			for _, form := range []string{"phuong " + m[1], "phuong" + m[1], "p " + m[1], "p" + m[1], "f" + m[1]} {
				p.add(form, ref)
			}
		case foldPlace(commune) == foldPlace(district):
			for _, prefix := range townPrefixes {
				p.add(prefix+" "+commune, ref)
			}
		default:
			p.add(commune, ref)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read places: %w", err)
	}
	return p, nil
}

// add lets name stand for ref, once.
func (p *Places) add(name string, ref placeRef) {
	words := placeWords(name)
	if len(words) == 0 {
		return
	}
	key := strings.Join(words, " ")
	for _, r := range p.names[key] {
		if r.district == ref.district && r.commune == ref.commune {
			return
		}
	}
	p.names[key] = append(p.names[key], ref)
	p.maxWords = max(p.maxWords, len(words))
}

// placeWords are text's words without accents, case or punctuation:
// "TP.Cà Mau" and "tp ca mau" are the same three words.
func placeWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(Fold(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func foldPlace(s string) string { return strings.Join(placeWords(s), " ") }

// placeMatch is a name found in the text: where, how many words, and
// what it may stand for.
type placeMatch struct {
	at, words int
	refs      []placeRef
}

// Parse finds the district and commune text names, "" for what it does
// not name. Longer names win over the shorter ones inside them (Tân Hưng
// Tây over Tân Hưng); the first commune the text names settles the
// district, and a commune name two districts share is read only when
// the text names one of them too. A district named alone gives no
// commune; the first district named wins over later ones.
func (p *Places) Parse(text string) (district, commune string) {
	words := placeWords(text)
	var found []placeMatch
	for i := range words {
		for n := min(p.maxWords, len(words)-i); n >= 1; n-- {
			if refs, ok := p.names[strings.Join(words[i:i+n], " ")]; ok {
				found = append(found, placeMatch{at: i, words: n, refs: refs})
			}
		}
	}
	// Longest first, then leftmost; a match may not overlap one taken.
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].words != found[j].words {
			return found[i].words > found[j].words
		}
		return found[i].at < found[j].at
	})
	taken := make([]bool, len(words))
	var chosen []placeMatch
	for _, m := range found {
		free := true
		for k := m.at; k < m.at+m.words; k++ {
			free = free && !taken[k]
		}
		if !free {
			continue
		}
		for k := m.at; k < m.at+m.words; k++ {
			taken[k] = true
		}
		chosen = append(chosen, m)
	}
	sort.Slice(chosen, func(i, j int) bool { return chosen[i].at < chosen[j].at })

	var districts, weak []string
	var communes [][]placeRef
	for _, m := range chosen {
		switch {
		case slices.ContainsFunc(m.refs, func(r placeRef) bool { return r.district == notAPlace }):
			// Words the list says name no place: "U Minh Hạ" is a forest.
		case slices.ContainsFunc(m.refs, func(r placeRef) bool { return r.commune == "" && !r.weak }):
			// A name that is a district and a commune elsewhere reads as
			// the district: that is what people say most.
			for _, r := range m.refs {
				if r.commune == "" && !r.weak {
					districts = append(districts, r.district)
				}
			}
		case slices.ContainsFunc(m.refs, func(r placeRef) bool { return r.weak }):
			weak = append(weak, m.refs[0].district)
		default:
			communes = append(communes, m.refs)
		}
	}
	for _, refs := range communes {
		if len(refs) == 1 {
			return refs[0].district, refs[0].commune
		}
		var named []placeRef
		for _, r := range refs {
			for _, d := range districts {
				if r.district == d {
					named = append(named, r)
					break
				}
			}
		}
		if len(named) == 1 {
			return named[0].district, named[0].commune
		}
	}
	switch {
	case len(districts) > 0:
		return districts[0], ""
	case len(weak) > 0:
		return weak[0], ""
	}
	return "", ""
}

// camau is the embedded list, read once; a list that does not read is a
// bug its test catches.
var camau = sync.OnceValue(func() *Places {
	p, err := ReadPlaces(strings.NewReader(camauPlaces))
	if err != nil {
		panic(err)
	}
	return p
})

// ParsePlace reads the district and commune of Cà Mau that text names,
// with or without accents, in any case: "cho Phuong 8" is TP Cà Mau,
// Phường 8; "siêu thị Co.op" names none.
func ParsePlace(text string) (district, commune string) { return camau().Parse(text) }
