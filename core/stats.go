package core

import (
	"context"
	"time"
)

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
	// Dashboard is Stats with the series the agency's page draws, as of now.
	Dashboard(ctx context.Context, now time.Time) (*Dashboard, error)
}

// Count is a number for a period or a name.
type Count struct {
	Start time.Time `json:"start,omitempty"` // the day or week it counts
	Name  string    `json:"name,omitempty"`
	N     int64     `json:"n"`
}

// FlaggedCode is a code whose lookups look like a clone's.
type FlaggedCode struct {
	Code    Code      `json:"code"`
	Lookups int64     `json:"lookups"`
	Senders int64     `json:"senders"`
	Last    time.Time `json:"last"`
}

// Dashboard is the agency's page: the totals, and how they move.
type Dashboard struct {
	Stats
	LookupsPerDay      []Count       `json:"lookups_per_day"`      // the last 30 days, oldest first
	ActivationsPerWeek []Count       `json:"activations_per_week"` // the last 12 weeks, oldest first
	TopProducts        []Count       `json:"top_products"`         // most looked up, last 30 days
	Flagged            []FlaggedCode `json:"flagged"`              // suspicious codes, latest first
}

// FillDays puts a zero count on every day of [from, from+days) that has
// none, in order: a chart needs every day.
func FillDays(counts []Count, from time.Time, days int, step time.Duration) []Count {
	by := map[time.Time]int64{}
	for _, c := range counts {
		by[c.Start.UTC()] = c.N
	}
	out := make([]Count, days)
	for i := range out {
		start := from.Add(time.Duration(i) * step).UTC()
		out[i] = Count{Start: start, N: by[start]}
	}
	return out
}
