package web

import (
	"tracegate/bots/channel"
	"tracegate/bots/dialog"
)

// The web's channels, as stored on their messages: the feedback form
// (and the pages' lookups), and the dev phone simulator's two panes. A
// name is lower-case letters only (messages.channel's check), hence
// "zalosim".
const (
	feedbackName = "web"
	phoneName    = "phone"
	zaloSimName  = "zalosim"
)

// FeedbackAdapter registers the feedback form's channel with cmd: it
// needs no configuration, so it is always on.
var FeedbackAdapter = channel.Adapter{Name: feedbackName, Load: func(func(string) string) (channel.Settings, error) {
	return feedbackConfig{}, nil
}}

type feedbackConfig struct{}

func (feedbackConfig) Missing() string                              { return "" }
func (feedbackConfig) Open(channel.Shared) (channel.Channel, error) { return Channel{}, nil }

// PhoneAdapter registers the phone simulator with cmd, under dev only.
var PhoneAdapter = channel.Adapter{Name: phoneName, DevOnly: true, Load: func(func(string) string) (channel.Settings, error) {
	return phoneConfig{}, nil
}}

type phoneConfig struct{}

func (phoneConfig) Missing() string { return "" }
func (phoneConfig) Open(s channel.Shared) (channel.Channel, error) {
	return Phone{Policy: s.Policy}, nil
}

// ZaloSimAdapter registers the simulator's Zalo pane with cmd, under dev
// only.
var ZaloSimAdapter = channel.Adapter{Name: zaloSimName, DevOnly: true, Load: func(func(string) string) (channel.Settings, error) {
	return zaloSimConfig{}, nil
}}

type zaloSimConfig struct{}

func (zaloSimConfig) Missing() string                              { return "" }
func (zaloSimConfig) Open(channel.Shared) (channel.Channel, error) { return ZaloSim{}, nil }

// Capabilities are none: the page answers the form itself.
func (Channel) Capabilities() dialog.Capabilities { return dialog.Capabilities{} }

// Capabilities are an SMS phone's, with the menu's buttons the page shows.
func (Phone) Capabilities() dialog.Capabilities {
	return dialog.Capabilities{Buttons: true, MaxText: channel.SMSMaxText}
}

// Reach is every phone, when no SMS provider is on: notices ring in the
// simulator.
func (Phone) Reach() channel.Reach { return channel.Reach{Scheme: "tel", Fallback: true} }

// Capabilities are Zalo's as its channel uses them, less photos: the
// page has no way to send one. Zalo's text messages have no buttons.
func (ZaloSim) Capabilities() dialog.Capabilities {
	return dialog.Capabilities{MaxText: zaloMaxText}
}

// Reach is every Zalo user, when the real Zalo channel is off: notices
// ring in the simulator, and never win over the real one.
func (ZaloSim) Reach() channel.Reach { return channel.Reach{Scheme: zaloScheme, Fallback: true} }

var (
	_ channel.Capable = Channel{}
	_ channel.Capable = Phone{}
	_ channel.Reacher = Phone{}
	_ channel.Capable = ZaloSim{}
	_ channel.Reacher = ZaloSim{}
)
