package main

import (
	"context"
	"fmt"
	"io"

	"tracegate/core"
)

// findDemo reads back the stamps the banner shows; nil when the honey
// facility is not there (not the demo's database).
func findDemo(ctx context.Context, s core.Services, facilities []*core.Facility) (*demo, error) {
	d := &demo{farmerPhone: demoFarmerPhone, farmerName: demoFarmerName, facility: demoHoneyFacility, lot: "L1"}
	honey := false
	for _, f := range facilities {
		if f.Name != demoHoneyFacility && f.Name != demoProcessor && f.Name != demoRecalled {
			continue
		}
		first, err := firstStamps(ctx, s, f.ID)
		if err != nil {
			return nil, err
		}
		switch f.Name {
		case demoHoneyFacility:
			honey = true
			d.genuine, d.notActivated, d.void = first[core.StampActivated], first[core.StampIssued], first[core.StampVoid]
			if d.pinned, err = firstPINned(ctx, s, f.ID); err != nil {
				return nil, err
			}
		case demoProcessor:
			d.chain = first[core.StampActivated]
		case demoRecalled:
			d.recalled = first[core.StampActivated]
		}
	}
	if !honey {
		return nil, nil
	}
	accounts, err := s.Accounts.FindAccounts(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		d.agency = d.agency || a.Login == demoAgencyLogin
		d.producer = d.producer || a.Login == demoProducerLogin
	}
	return d, nil
}

// firstPINned is the first stamp of a facility's batch with PINs; nil
// for none.
func firstPINned(ctx context.Context, s core.Services, facilityID int64) (*core.StampInfo, error) {
	batches, err := s.Stamps.FindBatches(ctx, facilityID)
	if err != nil {
		return nil, err
	}
	for _, b := range batches {
		if b.PIN {
			stamps, err := s.Stamps.FindStamps(ctx, facilityID, core.SerialRange{From: b.FirstSerial, To: b.FirstSerial})
			if err != nil || len(stamps) == 0 {
				return nil, err
			}
			return stamps[0], nil
		}
	}
	return nil, nil
}

// firstStamps is a facility's first stamp in each state, by serial.
func firstStamps(ctx context.Context, s core.Services, facilityID int64) (map[core.StampState]core.Code, error) {
	// The honey's batch is the demo's largest.
	stamps, err := s.Stamps.FindStamps(ctx, facilityID, core.SerialRange{From: 1, To: int64(demoProducers[0].stamps)})
	if err != nil {
		return nil, err
	}
	first := map[core.StampState]core.Code{}
	for _, st := range stamps {
		if _, ok := first[st.State]; !ok {
			first[st.State] = st.Code
		}
	}
	return first, nil
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
  Zalo        %[1]s/dev/phone?app=zalo   (play a Zalo user: the farmer's own account, not linked yet, or a consumer)
  Console     %[1]s/admin/   %[4]s
  Pages       %[1]s/   %[1]s/stats
  Health      %[1]s/healthz   %[1]s/readyz   %[1]s/metrics
  Database    %[3]s
`, base, cfg.AdminToken, cfg.DatabaseURL, consoleLogins(d))
	if d != nil {
		printDemo(out, d)
	}
	fmt.Fprintln(out, "\nCtrl-C stops everything tracegate dev started.")
}

// consoleLogins says how to log in to the console: the demo's logins, or
// how to make one in a database without them.
func consoleLogins(d *demo) string {
	if d == nil || !d.agency || !d.producer {
		return "(no demo logins here: tracegate user add makes one)"
	}
	return fmt.Sprintf("agency: %s / %s, producer: %s / %s",
		demoAgencyLogin, demoAgencyPassword, demoProducerLogin, demoProducerPassword)
}

func printDemo(out io.Writer, d *demo) {
	fmt.Fprintf(out, `
Demo data (fictitious Cà Mau producers):
  Farmer      %s, %s, phone %s, lot %s
  Codes       genuine %s   not activated %s   void %s   mistyped %s
`, d.farmerName, d.facility, d.farmerPhone, d.lot,
		d.genuine.Printed(), d.notActivated.Printed(), d.void.Printed(), mistype(d.genuine))
	if d.chain != "" && d.recalled != "" {
		fmt.Fprintf(out, "              chain %s (%s, shrimp from %s)   recalled %s (%s)\n",
			d.chain.Printed(), demoProcessor, demoFarm, d.recalled.Printed(), demoRecalled)
	}
	if d.pinned != nil {
		fmt.Fprintf(out, "  PIN         %s %s   (a stamp with a hidden PIN: send both; from a second phone it was used)\n",
			d.pinned.Code, d.pinned.PIN)
	}
	fmt.Fprintf(out, "  Chat        go run ./cmd/tracegate chat --as %q   (a farmer; any other number is a consumer)\n", d.farmerPhone)
}
