package core

import (
	"context"
	"time"
)

// FakeReport is a buyer saying where they bought what they think is a
// copy: BAO <code> <where bought>, or the page's form.
type FakeReport struct {
	ID int64 `json:"id"`
	// Code is the code as read (normalised); it may be no stamp's.
	Code Code `json:"code"`
	// FacilityID is the stamp's facility when the code is a stamp; 0
	// otherwise.
	FacilityID int64  `json:"facility_id,omitempty"`
	Place      string `json:"place"` // as written
	// District and Commune are read from Place against the province's
	// list of places; "" when it names none we know.
	District  string    `json:"district,omitempty"`
	Commune   string    `json:"commune,omitempty"`
	Channel   string    `json:"channel"`
	Reporter  URN       `json:"-"`        // hashed before it is stored
	Masked    string    `json:"reporter"` // Reporter.Masked(), all anyone is shown
	CreatedAt time.Time `json:"created_at"`
}

// DistrictReports are the reports of one district, for the dashboard and
// the console: "" is the places no list knows, shown as written.
type DistrictReports struct {
	District string   `json:"district"`
	Count    int      `json:"count"`
	Codes    []Code   `json:"codes"`  // the codes reported there, most reported first
	Places   []string `json:"places"` // for an unknown district: the places as written
}

// ReportService stores and reads reports of fakes.
type ReportService interface {
	// Report stores r, filling its code (from codeInput), facility and
	// place; a mistyped code is EINVALID, an empty place EINVALID.
	Report(ctx context.Context, codeInput string, r *FakeReport) error
	// FindReports lists reports newest first: one facility's when
	// facilityID > 0, else all, at most limit.
	FindReports(ctx context.Context, facilityID int64, limit int) ([]*FakeReport, error)
	// ReportsByDistrict counts reports since a time by district, most
	// reported first; of one facility when facilityID > 0.
	ReportsByDistrict(ctx context.Context, facilityID int64, since time.Time) ([]DistrictReports, error)
}

// ReportWindow is how far back the dashboard and the console count
// reports by district: a season of sales.
const ReportWindow = 90 * 24 * time.Hour

// Validate checks the report's own fields; the code is checked by the
// service, which reads the place's district and commune.
func (r *FakeReport) Validate() error {
	var err error
	if r.Place, err = cleanText("place", StorableText(r.Place), 1, 500); err != nil {
		return err
	}
	if !channelPattern.MatchString(r.Channel) {
		return Errorf(EINVALID, "channel %q is not valid", r.Channel)
	}
	if r.Reporter == "" || len(r.Reporter) > 200 {
		return Errorf(EINVALID, "a report needs the reporter's URN")
	}
	return nil
}

// ReportDigest is what the console shows of reports: the latest, and
// the last ReportWindow's by district.
type ReportDigest struct {
	Latest     []*FakeReport
	ByDistrict []DistrictReports
}

// reportWindowStart is where the last ReportWindow begins.
func reportWindowStart() time.Time { return time.Now().Add(-ReportWindow) }

// Where is the place as the list names it: "Phường 8, TP Cà Mau", a
// district alone, or "" when the list knows none. A town named like its
// district is said once: "Năm Căn", not "Năm Căn, Năm Căn".
func (r *FakeReport) Where() string {
	if r.Commune == "" || r.Commune == r.District {
		return r.District
	}
	return r.Commune + ", " + r.District
}
