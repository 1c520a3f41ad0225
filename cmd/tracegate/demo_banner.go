package main

import (
	"context"
	"fmt"
	"io"

	"tracegate/core"
)

// findDemo reads back the stamps the banner shows.
func findDemo(ctx context.Context, s core.Services, f *core.Facility) (*demo, error) {
	honey := demoProducers[0]
	stamps, err := s.Stamps.FindStamps(ctx, f.ID, core.SerialRange{From: 1, To: int64(honey.stamps)})
	if err != nil {
		return nil, err
	}
	d := &demo{farmerPhone: demoFarmerPhone, farmerName: demoFarmerName, facility: f.Name, lot: "L1"}
	for _, st := range stamps {
		switch {
		case st.State == core.StampActivated && d.genuine == "":
			d.genuine = st.Code
		case st.State == core.StampIssued && d.notActivated == "":
			d.notActivated = st.Code
		case st.State == core.StampVoid && d.void == "":
			d.void = st.Code
		}
	}
	return d, nil
}

// mistype changes the code's last symbol: the check catches it.
func mistype(c core.Code) string {
	s := []byte(c)
	if s[len(s)-1] == '7' {
		s[len(s)-1] = '3'
	} else {
		s[len(s)-1] = '7'
	}
	return string(s)
}

func printBanner(out io.Writer, cfg config, d *demo) {
	base := cfg.PublicBaseURL
	fmt.Fprintf(out, `
tracegate dev is running.
  Admin API   %[1]s/admin/api/stats   (header  Authorization: Bearer %[2]s)
  Phone       %[1]s/dev/phone   (play farmer or consumer in the browser)
  Pages       %[1]s/   %[1]s/stats
  Health      %[1]s/healthz   %[1]s/readyz   %[1]s/metrics
  Database    %[3]s
`, base, cfg.AdminToken, cfg.DatabaseURL)
	if d != nil {
		fmt.Fprintf(out, `
Demo data (fictitious Cà Mau producers):
  Farmer      %s, %s, phone %s, lot %s
  Codes       genuine %s   not activated %s   void %s   mistyped %s
  Chat        go run ./cmd/tracegate chat --as %q   (a farmer; any other number is a consumer)
`, d.farmerName, d.facility, d.farmerPhone, d.lot,
			d.genuine.Printed(), d.notActivated.Printed(), d.void.Printed(), mistype(d.genuine), d.farmerPhone)
	}
	fmt.Fprintln(out, "\nCtrl-C stops everything tracegate dev started.")
}
