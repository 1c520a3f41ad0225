package core

import "regexp"

// Channels name how a person reached us, on diary entries and lookups.
const (
	ChannelSMS      = "sms"
	ChannelTelegram = "telegram"
	ChannelConsole  = "console"
	ChannelWeb      = "web"
)

var channelPattern = regexp.MustCompile(`^[a-z]{2,16}$`)
