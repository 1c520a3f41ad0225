package channel

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	messagesIn = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tracegate_messages_in_total",
		Help: "Inbound messages by channel and outcome (stored, refused, error; a provider's retry of a stored message counts as stored).",
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
	sendWork = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "tracegate_send_work_seconds",
		Help:    "Time a worker spent on one send, from its turn to what became of it recorded: the channel's capacity is its workers over this.",
		Buckets: prometheus.DefBuckets,
	}, []string{"channel"})
	sendWorkers = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "tracegate_send_workers",
		Help: "Sends a channel may hold at once in this process (SEND_WORKERS, else the channel's own).",
	}, []string{"channel"})
	queueDepth = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "tracegate_send_queue_depth",
		Help: "Outbound messages not sent yet, by channel.",
	}, []string{"channel"})
	oldestQueued = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "tracegate_send_queue_oldest_seconds",
		Help: "Age of the oldest outbound message not sent yet, by channel: alert when it passes the channel's patience.",
	}, []string{"channel"})
	sendsRescued = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tracegate_sends_rescued_total",
		Help: "Turns put back in line after the process that claimed them died.",
	})
	turnsMissed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tracegate_turns_missed_total",
		Help: "Turns whose send started too late to keep the pace, and went back in line.",
	}, []string{"channel"})
	dialogOutcomes = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tracegate_dialog_outcomes_total",
		Help: "Messages answered, by what they asked for.",
	}, []string{"intent"})
)
