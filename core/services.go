package core

// Services is every service of the core, as one storage implementation
// provides them; cmd hands the parts to the adapters that need them.
type Services struct {
	Facilities FacilityService
	Products   ProductService
	Members    MemberService
	Lots       LotService
	Diary      DiaryService
	Chain      ChainService
	Stamps     StampService
	Lookups    LookupService
	Feedback   FeedbackService
	Stats      StatsService
	Contacts   ContactService
	Messages   MessageService
	Accounts   AccountService
	Audit      AuditService
	Reports    ReportService
}
