package channel

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	messagesIn = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tracegate_messages_in_total",
		Help: "Inbound messages by channel and outcome (stored, error; a provider's retry of a stored message counts as stored).",
	}, []string{"channel", "outcome"})
	messagesOut = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tracegate_messages_out_total",
		Help: "Outbound send outcomes by channel: sent, retry, waiting, failed, suppressed.",
	}, []string{"channel", "status"})
	segmentsSent = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tracegate_segments_sent_total",
		Help: "SMS segments (parts) sent, by channel.",
	}, []string{"channel"})
	sendSeconds = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "tracegate_send_seconds",
		Help:    "Time a provider took to answer a send.",
		Buckets: prometheus.DefBuckets,
	}, []string{"channel"})
	queueDepth = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "tracegate_send_queue_depth",
		Help: "Send jobs not done yet.",
	})
	dialogOutcomes = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tracegate_dialog_outcomes_total",
		Help: "Messages answered, by what they asked for.",
	}, []string{"intent"})
)
