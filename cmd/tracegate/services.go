package main

import (
	"tracegate/core"
	"tracegate/core/postgres"
)

// services is every core service, wired on one database.
type services struct {
	facilities core.FacilityService
	products   core.ProductService
	members    core.MemberService
	lots       core.LotService
	diary      core.DiaryService
	stamps     core.StampService
	lookups    core.LookupService
	feedback   core.FeedbackService
	stats      core.StatsService
}

func newServices(db *postgres.DB) services {
	return services{
		facilities: postgres.NewFacilityService(db),
		products:   postgres.NewProductService(db),
		members:    postgres.NewMemberService(db),
		lots:       postgres.NewLotService(db),
		diary:      postgres.NewDiaryService(db),
		stamps:     postgres.NewStampService(db),
		lookups:    postgres.NewLookupService(db),
		feedback:   postgres.NewFeedbackService(db),
		stats:      postgres.NewStatsService(db),
	}
}
