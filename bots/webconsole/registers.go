package webconsole

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"tracegate/core"
)

// register is one kind of list an agency keeps in a spreadsheet: its
// columns, and how a row becomes a change.
type register struct {
	cols []column
	// read checks one row (get reads a column by its name) and returns
	// the change it makes, or the row's problems.
	read func(look *lookup, get func(string) string) (func(context.Context, core.Console) error, []string)
}

// column is a column of a register: its name in the files we write, and
// the headings officers use for it, folded (no accents, case or spaces).
type column struct {
	name     string
	aliases  []string
	required bool
}

var registerNames = []string{"facilities", "products", "members"}

var registers = map[string]*register{
	"facilities": {cols: []column{
		{"name", []string{"ten", "tencoso", "tencososanxuat"}, true},
		{"address", []string{"diachi"}, false},
		{"province", []string{"tinh", "tinhthanh", "tinhthanhpho"}, false},
		{"phone", []string{"dienthoai", "sodienthoai", "sdt"}, false},
		{"gln", []string{"maddtoancau", "madiadiem"}, false},
	}, read: readFacility},
	"products": {cols: []column{
		{"facility", []string{"coso", "tencoso", "facilityid", "macoso"}, true},
		{"code", []string{"ma", "masanpham", "masp"}, true},
		{"name", []string{"ten", "tensanpham"}, true},
		{"ocop_stars", []string{"sao", "saoocop", "ocop", "stars"}, false},
		{"certifications", []string{"chungnhan"}, false},
		{"gtin", []string{"mavach"}, false},
		{"description", []string{"mota"}, false},
		{"story", []string{"cauchuyen", "cauchuyensanpham"}, false},
	}, read: readProduct},
	"members": {cols: []column{
		{"facility", []string{"coso", "tencoso", "facilityid", "macoso"}, true},
		{"name", []string{"ten", "hoten", "hovaten"}, true},
		{"phone", []string{"dienthoai", "sodienthoai", "sdt"}, true},
		{"zalo", nil, false},
		{"telegram", nil, false},
		{"lang", []string{"ngonngu"}, false},
	}, read: readMember},
}

func (reg *register) names() []string {
	names := make([]string, len(reg.cols))
	for i, c := range reg.cols {
		names[i] = c.name
	}
	return names
}

// columns finds each column's index in a header; -1 when absent.
func (reg *register) columns(header []string) map[string]int {
	at := map[string]int{}
	for _, c := range reg.cols {
		at[c.name] = -1
		for i, h := range header {
			key := headingKey(h)
			if key == headingKey(c.name) || contains(c.aliases, key) {
				at[c.name] = i
				break
			}
		}
	}
	return at
}

func headingKey(s string) string {
	return strings.NewReplacer(" ", "", "_", "", "-", "", ".", "").Replace(strings.ToLower(core.Fold(s)))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lookup is what rows are checked against: the facilities the account
// sees, and what the file itself has claimed so far.
type lookup struct {
	ctx        context.Context
	c          core.Console
	facilities []*core.Facility
	codes      map[string]bool // facility id/product code, from the database or earlier rows
	urns       map[core.URN]bool
	loaded     map[int64]bool
}

func newLookup(ctx context.Context, c core.Console) (*lookup, error) {
	fs, err := c.Facilities(ctx)
	if err != nil {
		return nil, err
	}
	return &lookup{ctx: ctx, c: c, facilities: fs, codes: map[string]bool{}, urns: map[core.URN]bool{}, loaded: map[int64]bool{}}, nil
}

// facility finds a facility by its id or its name (accents and case
// aside); a name two facilities share must be given as the id.
func (l *lookup) facility(ref string) (*core.Facility, string) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		for _, f := range l.facilities {
			if f.ID == id {
				return f, ""
			}
		}
		return nil, fmt.Sprintf("no facility %d", id)
	}
	var found []*core.Facility
	for _, f := range l.facilities {
		if headingKey(f.Name) == headingKey(ref) {
			found = append(found, f)
		}
	}
	switch len(found) {
	case 1:
		return found[0], ""
	case 0:
		return nil, fmt.Sprintf("no facility named %q", ref)
	}
	return nil, fmt.Sprintf("%d facilities are named %q: give its id", len(found), ref)
}

// codeTaken says whether a product code is in use in a facility, in the
// database or in an earlier row, and claims it.
func (l *lookup) codeTaken(f *core.Facility, code string) (bool, error) {
	if !l.loaded[f.ID] {
		products, err := l.c.Products(l.ctx, f.ID)
		if err != nil {
			return false, err
		}
		for _, p := range products {
			l.codes[fmt.Sprint(f.ID, "/", p.Code)] = true
		}
		l.loaded[f.ID] = true
	}
	key := fmt.Sprint(f.ID, "/", code)
	taken := l.codes[key]
	l.codes[key] = true
	return taken, nil
}

// urnTaken says whether a phone or account is a member's already, or
// claimed by an earlier row, and claims it.
func (l *lookup) urnTaken(urn core.URN) bool {
	if l.urns[urn] {
		return true
	}
	l.urns[urn] = true
	_, err := l.c.S.Members.FindMemberByURN(l.ctx, urn)
	return err == nil
}

func readFacility(_ *lookup, get func(string) string) (func(context.Context, core.Console) error, []string) {
	f := &core.Facility{Name: get("name"), Address: get("address"), Province: get("province"), Phone: get("phone"), GLN: get("gln")}
	if err := f.Validate(); err != nil {
		return nil, []string{core.ErrorMessage(err)}
	}
	return func(ctx context.Context, c core.Console) error { return c.CreateFacility(ctx, f) }, nil
}

func readProduct(look *lookup, get func(string) string) (func(context.Context, core.Console) error, []string) {
	f, problem := look.facility(get("facility"))
	if f == nil {
		return nil, []string{problem}
	}
	p := &core.Product{FacilityID: f.ID, Code: get("code"), Name: get("name"), GTIN: get("gtin"),
		Description: get("description"), Story: get("story")}
	var problems []string
	if s := get("ocop_stars"); s != "" {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			problems = append(problems, "ocop_stars must be 3, 4 or 5")
		}
		p.OCOPStars = &n
	}
	for _, cert := range strings.Split(get("certifications"), ",") {
		if cert = strings.TrimSpace(cert); cert != "" {
			p.Certifications = append(p.Certifications, cert)
		}
	}
	if err := p.Validate(); err != nil {
		problems = append(problems, core.ErrorMessage(err))
	} else if taken, err := look.codeTaken(f, p.Code); err != nil {
		problems = append(problems, core.ErrorMessage(err))
	} else if taken {
		problems = append(problems, fmt.Sprintf("%s already has a product %s", f.Name, p.Code))
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return func(ctx context.Context, c core.Console) error { return c.CreateProduct(ctx, p) }, nil
}

func readMember(look *lookup, get func(string) string) (func(context.Context, core.Console) error, []string) {
	f, problem := look.facility(get("facility"))
	if f == nil {
		return nil, []string{problem}
	}
	m := &core.Member{FacilityID: f.ID, Name: get("name"), Lang: core.Lang(strings.ToLower(get("lang")))}
	var problems []string
	for _, field := range []struct{ scheme, value string }{{"tel", get("phone")}, {"zalo", get("zalo")}, {"telegram", get("telegram")}} {
		if field.value == "" {
			continue
		}
		urn, err := core.ParseURN(field.scheme + ":" + field.value)
		if field.scheme == "tel" {
			urn, err = core.TelURN(field.value)
		}
		switch {
		case err != nil:
			problems = append(problems, core.ErrorMessage(err))
		case look.urnTaken(urn):
			problems = append(problems, fmt.Sprintf("%s is already a member's", urn.Path()))
		default:
			m.URNs = append(m.URNs, urn)
		}
	}
	if err := m.Validate(); err != nil && len(problems) == 0 {
		problems = append(problems, core.ErrorMessage(err))
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return func(ctx context.Context, c core.Console) error { return c.AddMember(ctx, m) }, nil
}
