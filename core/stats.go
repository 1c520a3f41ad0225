package core

import "context"

// Stats are the agency's figures for the whole deployment.
type Stats struct {
	Facilities      int64            `json:"facilities"`
	Products        int64            `json:"products"`
	ProductsByStars map[string]int64 `json:"ocop_products_by_stars"`
	Members         int64            `json:"members"`
	Lots            int64            `json:"lots"`
	DiaryEntries    int64            `json:"diary_entries"`
	StampsIssued    int64            `json:"stamps_issued"`
	StampsActivated int64            `json:"stamps_activated"`
	StampsVoid      int64            `json:"stamps_void"`
	Lookups         int64            `json:"lookups"`
	SuspiciousCodes int64            `json:"suspicious_codes"`
	UnknownCodes    int64            `json:"unknown_codes"`
	Feedback        int64            `json:"feedback"`
}

// StatsService computes the agency's figures.
type StatsService interface {
	Stats(ctx context.Context) (*Stats, error)
}
