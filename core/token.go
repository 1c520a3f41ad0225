package core

import (
	"context"
	"time"
)

// ProviderToken is a provider's token pair (the Zalo Official Account's):
// the access token sends, the refresh token (single-use) gets the next pair.
type ProviderToken struct {
	Access    string
	Refresh   string
	ExpiresAt time.Time
	UpdatedAt time.Time
}

// TokenStore keeps one provider's token pair, shared by every gateway
// process. Since a refresh token works once, only one process at a time
// may spend it: Refresh serialises them.
type TokenStore interface {
	// Current is the stored pair. An empty store is first seeded with
	// seed as its refresh token (ZALO_REFRESH_TOKEN); a seed never
	// replaces a stored pair, which has rotated past it.
	Current(ctx context.Context, seed string) (ProviderToken, error)
	// Refresh replaces the pair whose access token is stale with the one
	// fetch returns for its refresh token, under a lock shared by every
	// process and held until the new pair is stored. When the stored
	// access token is no longer stale (another process refreshed while
	// this one waited), it returns the stored pair and fetch is not called.
	Refresh(ctx context.Context, stale string, fetch func(ctx context.Context, refresh string) (ProviderToken, error)) (ProviderToken, error)
}
