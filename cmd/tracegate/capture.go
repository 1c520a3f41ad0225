package main

import (
	"context"
	"log/slog"
	"sync"

	"tracegate/bots/epcis"
	"tracegate/bots/epcis/capture"
	"tracegate/core/postgres"
)

// startCapture runs the EPCIS capture pusher until ctx ends, when
// EPCIS_CAPTURE_URL is set; the returned wait returns once it has stopped.
// Every process runs one: their claims never overlap. Without the URL the
// outbox still fills, and is pushed once a repository is set.
func startCapture(ctx context.Context, cfg config, db *postgres.DB, log *slog.Logger) (wait func()) {
	if cfg.CaptureURL == "" {
		log.Info("EPCIS capture is off: EPCIS_CAPTURE_URL is not set")
		return func() {}
	}
	p := capture.New(capture.Config{URL: cfg.CaptureURL, Token: cfg.CaptureToken,
		Outbox: postgres.NewCaptureOutbox(db), History: postgres.NewHistoryService(db),
		Builder: epcis.Builder{BaseURL: cfg.PublicBaseURL}, Log: log})
	var running sync.WaitGroup
	running.Add(1)
	go func() { defer running.Done(); p.Run(ctx) }()
	return running.Wait
}
