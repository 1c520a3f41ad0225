package core

import "regexp"

// channelPattern is what a channel's name looks like, on diary entries
// and lookups: the names are the adapters' own (twilio, telegram, web).
var channelPattern = regexp.MustCompile(`^[a-z]{2,16}$`)
