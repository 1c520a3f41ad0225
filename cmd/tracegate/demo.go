package main

import (
	"context"
	"fmt"
	"time"

	"tracegate/core"
)

// The demo data set: fictitious Cà Mau producers with the products the
// province is known for. It is loaded through the services, so it obeys
// every rule real data does.
const (
	demoHoneyFacility = "HTX Mật ong rừng U Minh Hạ"
	demoFarmerPhone   = "0912 345 678"
	demoFarmerName    = "Nguyễn Thị Lan"
)

// The demo's web console logins: the province's officer and the honey
// cooperative's manager. Their passwords are as public as the demo's admin
// token, which is why dev listens on this machine only.
const (
	demoAgencyLogin      = "agency"
	demoAgencyPassword   = "agency-demo"
	demoProducerLogin    = "matong"
	demoProducerPassword = "matong-demo"
)

type demoProducer struct {
	facility core.Facility
	product  core.Product
	member   core.Member
	phone    string
	stamps   int
	active   int64 // serials 1..active go on the first lot
	diary    []demoEntry
}

type demoEntry struct {
	daysAgo int
	step    core.Step
	qty     *core.Quantity
	note    string
}

func stars(n int) *int { return &n }

var demoProducers = []demoProducer{
	{
		facility: core.Facility{Name: demoHoneyFacility, Address: "Ấp 10, xã Khánh Thuận, huyện U Minh", Province: "Cà Mau", Phone: "0290 3861 234"},
		product: core.Product{Code: "MATONG", Name: "Mật ong rừng U Minh Hạ", OCOPStars: stars(4),
			Description:    "Mật ong tràm nguyên chất, khai thác từ rừng tràm U Minh Hạ.",
			Story:          "Người gác kèo đặt kèo ong dưới tán tràm từ tháng Chạp, thu mật khi tràm nở rộ.",
			Certifications: []string{"VietGAP", "ISO 22000:2018"}},
		member: core.Member{Name: demoFarmerName},
		phone:  demoFarmerPhone, stamps: 1000, active: 500,
		diary: []demoEntry{
			{40, core.StepOther, nil, "Gác kèo ong dưới tán tràm, 120 kèo"},
			{12, core.StepHarvest, &core.Quantity{Value: "185,5", Unit: "kg"}, "Thu mật đợt 1, tràm nở rộ"},
			{10, core.StepProcess, nil, "Lọc mật, hạ thủy phần còn 19%"},
			{8, core.StepPack, &core.Quantity{Value: "370", Unit: "con"}, "Chai thủy tinh 500 ml"},
		},
	},
	{
		// The farm sells its shrimp fresh, to the processor: no stamps.
		facility: core.Facility{Name: demoFarm, Address: "Ấp Rạch Gốc, xã Tân Ân, huyện Ngọc Hiển", Province: "Cà Mau"},
		product: core.Product{Code: "TOMDAT", Name: "Tôm đất Rạch Gốc",
			Description: "Tôm đất nuôi quảng canh cải tiến trong ao rừng ngập mặn."},
		member: core.Member{Name: "Lê Văn Sáu"},
		phone:  "0913 000 222",
		diary: []demoEntry{
			{90, core.StepSow, &core.Quantity{Value: "2", Unit: "cong"}, "Thả tôm giống"},
			{45, core.StepFeed, &core.Quantity{Value: "25", Unit: "kg"}, "Cho ăn bổ sung"},
			{20, core.StepHarvest, &core.Quantity{Value: "1,2", Unit: "ta"}, "Thu tôm đất"},
		},
	},
	{
		facility: core.Facility{Name: "HTX Cua Năm Căn", Address: "Thị trấn Năm Căn", Province: "Cà Mau"},
		product:  core.Product{Code: "CUA", Name: "Cua Năm Căn", OCOPStars: stars(4), Certifications: []string{"ASC"}},
		member:   core.Member{Name: "Trần Văn Tư", Lang: core.LangEN},
		phone:    "0913 000 333", stamps: 100,
	},
	{
		facility: core.Facility{Name: demoRecalled, Address: "Thị trấn Sông Đốc, huyện Trần Văn Thời", Province: "Cà Mau"},
		product:  core.Product{Code: "NUOCMAM", Name: "Nước mắm cá cơm Sông Đốc", OCOPStars: stars(3)},
		member:   core.Member{Name: "Phạm Thị Hoa"},
		phone:    "0913 000 444", stamps: 100, active: 40,
		diary: []demoEntry{
			{400, core.StepProcess, nil, "Ủ chượp cá cơm với muối hạt trong thùng gỗ"},
			{30, core.StepPack, &core.Quantity{Value: "40", Unit: "chai"}, "Chai thủy tinh 500 ml"},
		},
	},
	{
		facility: core.Facility{Name: demoProcessor, Address: "Khóm 2, thị trấn Năm Căn, huyện Năm Căn", Province: "Cà Mau"},
		product: core.Product{Code: "TOMKHO", Name: "Tôm khô Năm Căn", OCOPStars: stars(3),
			Description: "Tôm đất Rạch Gốc luộc và phơi nắng tự nhiên.", Certifications: []string{"HACCP"}},
		member: core.Member{Name: "Võ Thị Bảy"},
		phone:  "0913 000 666", stamps: 300, active: 100,
		diary: []demoEntry{
			{19, core.StepProcess, nil, "Luộc, phơi nắng 3 ngày"},
			{15, core.StepPack, &core.Quantity{Value: "100", Unit: "goi"}, "Túi hút chân không 250 g"},
		},
	},
}

// demo is what the banner shows: how to play farmer and consumer, and
// how to log in to the console.
type demo struct {
	farmerPhone, farmerName, facility, lot string
	genuine, notActivated, void            core.Code
	chain, recalled                        core.Code       // none in a dev database older than them
	pinned                                 *core.StampInfo // a stamp with a hidden PIN, likewise
	agency, producer                       bool            // the console logins, likewise
}

// loadDemo loads the demo into an empty database and finds it again in one
// that has it. A database holding other data gets no demo (nil).
func loadDemo(ctx context.Context, s core.Services) (*demo, error) {
	facilities, err := s.Facilities.FindFacilities(ctx)
	if err != nil {
		return nil, err
	}
	if len(facilities) == 0 {
		if err := loadDemoData(ctx, s); err != nil {
			return nil, err
		}
		if facilities, err = s.Facilities.FindFacilities(ctx); err != nil {
			return nil, err
		}
	}
	return findDemo(ctx, s, facilities)
}

// demoLoaded is a producer as loaded: who acts for it, and its lot (nil
// for none).
type demoLoaded struct {
	member *core.Member
	lot    *core.Lot
}

// loadDemoData loads every producer, then what passes between them, which
// needs them all there.
func loadDemoData(ctx context.Context, s core.Services) error {
	loaded := map[string]demoLoaded{}
	for _, p := range demoProducers {
		l, err := p.load(ctx, s)
		if err != nil {
			return fmt.Errorf("load %s: %w", p.facility.Name, err)
		}
		loaded[p.facility.Name] = l
	}
	if err := loadChain(ctx, s, loaded); err != nil {
		return err
	}
	if err := loadPINs(ctx, s, loaded[demoHoneyFacility]); err != nil {
		return err
	}
	return loadAccounts(ctx, s, loaded[demoHoneyFacility].member.FacilityID)
}

// demoPINs is the honey's batch with hidden PINs, on its lot: a stamp to
// try <code> <pin> with, twice.
const demoPINs = 40

func loadPINs(ctx context.Context, s core.Services, honey demoLoaded) error {
	b, err := s.Stamps.IssueBatch(ctx, honey.member.FacilityID, demoPINs, true)
	if err != nil {
		return fmt.Errorf("PIN batch: %w", err)
	}
	_, err = s.Stamps.Activate(ctx, honey.member, honey.lot.Code, core.SerialRange{From: b.FirstSerial, To: b.LastSerial})
	return err
}

// loadAccounts makes the console logins: the agency's, and the manager's
// of the honey cooperative, whose lot, stamps and sale the console shows.
func loadAccounts(ctx context.Context, s core.Services, honeyID int64) error {
	for _, a := range []struct {
		account  core.Account
		password string
	}{
		{core.Account{Login: demoAgencyLogin, Role: core.RoleAgency}, demoAgencyPassword},
		{core.Account{Login: demoProducerLogin, Role: core.RoleFacility, FacilityID: honeyID}, demoProducerPassword},
	} {
		if err := s.Accounts.CreateAccount(ctx, &a.account, a.password); err != nil {
			return fmt.Errorf("console login %s: %w", a.account.Login, err)
		}
	}
	return nil
}

func (p demoProducer) load(ctx context.Context, s core.Services) (demoLoaded, error) {
	f, prod, m := p.facility, p.product, p.member
	if err := s.Facilities.CreateFacility(ctx, &f); err != nil {
		return demoLoaded{}, err
	}
	prod.FacilityID, m.FacilityID = f.ID, f.ID
	if err := s.Products.CreateProduct(ctx, &prod); err != nil {
		return demoLoaded{}, err
	}
	urn, err := core.TelURN(p.phone)
	if err != nil {
		return demoLoaded{}, err
	}
	m.URNs = []core.URN{urn}
	if err := s.Members.CreateMember(ctx, &m); err != nil {
		return demoLoaded{}, err
	}
	if p.stamps > 0 {
		if _, err := s.Stamps.IssueBatch(ctx, f.ID, p.stamps, false); err != nil {
			return demoLoaded{}, err
		}
	}
	if len(p.diary) == 0 && p.active == 0 {
		return demoLoaded{member: &m}, nil
	}
	lot, err := s.Lots.OpenLot(ctx, &m, prod.Code, "")
	if err != nil {
		return demoLoaded{}, err
	}
	return demoLoaded{member: &m, lot: lot}, p.work(ctx, s, &m, lot)
}

// work writes the lot's diary and puts stamps on it.
func (p demoProducer) work(ctx context.Context, s core.Services, m *core.Member, lot *core.Lot) error {
	now := time.Now()
	for _, d := range p.diary {
		e := &core.DiaryEntry{LotCode: lot.Code, Step: d.step, Quantity: d.qty, Note: d.note,
			HappenedAt: now.AddDate(0, 0, -d.daysAgo), Channel: "demo"} // loaded: no channel brought it
		if err := s.Diary.RecordEntry(ctx, m, e); err != nil {
			return err
		}
	}
	if p.active == 0 {
		return nil
	}
	if _, err := s.Stamps.Activate(ctx, m, lot.Code, core.SerialRange{From: 1, To: p.active}); err != nil {
		return err
	}
	// The last activated stamp fell off a jar: it shows the void warning.
	_, err := s.Stamps.Void(ctx, m, core.SerialRange{From: p.active, To: p.active})
	return err
}
