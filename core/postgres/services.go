package postgres

import "tracegate/core"

// NewServices returns every core service on db.
func NewServices(db *DB) core.Services {
	return core.Services{
		Facilities: NewFacilityService(db),
		Products:   NewProductService(db),
		Members:    NewMemberService(db),
		Lots:       NewLotService(db),
		Diary:      NewDiaryService(db),
		Chain:      NewChainService(db),
		Stamps:     NewStampService(db),
		Lookups:    NewLookupService(db),
		Feedback:   NewFeedbackService(db),
		Stats:      NewStatsService(db),
		Contacts:   NewContactService(db),
		Messages:   NewMessageService(db),
		Accounts:   NewAccountService(db),
		Audit:      NewAuditService(db),
		Reports:    NewReportService(db),
	}
}
