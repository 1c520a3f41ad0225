package core

import (
	"context"
	"time"
)

// ZaloToken is the Zalo Official Account's token pair: the access token
// sends, the refresh token (single-use) gets the next pair.
type ZaloToken struct {
	Access    string
	Refresh   string
	ExpiresAt time.Time
	UpdatedAt time.Time
}

// ZaloTokens keeps the one token pair every gateway process shares.
// Since a refresh token works once, only one process at a time may spend
// it: Refresh serialises them.
type ZaloTokens interface {
	// Current is the stored pair. An empty store is first seeded with
	// seed as its refresh token (ZALO_REFRESH_TOKEN); a seed never
	// replaces a stored pair, which has rotated past it.
	Current(ctx context.Context, seed string) (ZaloToken, error)
	// Refresh replaces the pair whose access token is stale with the one
	// fetch returns for its refresh token, under a lock shared by every
	// process and held until the new pair is stored. When the stored
	// access token is no longer stale (another process refreshed while
	// this one waited), it returns the stored pair and fetch is not called.
	Refresh(ctx context.Context, stale string, fetch func(ctx context.Context, refresh string) (ZaloToken, error)) (ZaloToken, error)
}
