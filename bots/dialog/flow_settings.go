package dialog

import (
	"context"

	"tracegate/core"
)

// Help, and the settings anyone has: language, notices.
const (
	IntentHelp  Intent = "help"  // HD, ?, HELP
	IntentLang  Intent = "lang"  // VI, EN
	IntentStop  Intent = "stop"  // STOP, TUCHOI
	IntentStart Intent = "start" // START
)

const (
	msgHelpCommands msgID = "help_commands"
	msgMenuHelp     msgID = "menu_help"
	msgHelpLang     msgID = "help_lang"
	msgMenuLang     msgID = "menu_lang"
	msgHelpStop     msgID = "help_stop"
)

// langKeywords says which language a language keyword picks.
var langKeywords = map[string]core.Lang{
	"VI": core.LangVI, "TIENGVIET": core.LangVI, "EN": core.LangEN, "ENGLISH": core.LangEN,
}

func init() {
	register(command{Intent: IntentHelp, Words: []string{"HD", "HUONGDAN", "TROGIUP", "?", "HELP"},
		Parse: func(cmd *Command, text string, toks []token, n int) { cmd.Text = rest(text, toks, n) },
		Run:   (*conv).help, Menu: "help", MenuText: msgMenuHelp, Rank: 0})
	register(command{Intent: IntentLang, Words: []string{"VI", "TIENGVIET", "EN", "ENGLISH"},
		Parse: func(cmd *Command, _ string, toks []token, n int) { cmd.Lang = langKeywords[joinKeys(toks[:n])] },
		Run:   (*conv).setLang, Help: msgHelpLang, Group: helpSettings, Menu: "lang", MenuText: msgMenuLang, Rank: 100})
	register(command{Intent: IntentStop, Words: []string{"STOP", "TUCHOI"},
		Run: (*conv).stop, Help: msgHelpStop, Group: helpSettings, Rank: 110})
	register(command{Intent: IntentStart, Words: []string{"START", "BATDAU"}, Run: (*conv).start, Rank: 120})
}

// help shows members the names of their commands (HD <command> says how
// to use one: all of them would not fit in an SMS), and everyone else
// what anyone may do and their settings.
func (c *conv) help(_ context.Context, cmd Command, _ *pending) error {
	if toks := tokenize(cmd.Text); len(toks) > 0 {
		if intent, _ := matchKeyword(toks); commands[intent] != nil && commands[intent].Help != "" {
			c.say(T(c.lang, commands[intent].Help, nil))
			return nil
		}
	}
	if c.member != nil {
		c.say(T(c.lang, msgHelpMember, map[string]any{"Name": c.member.Name}),
			T(c.lang, msgHelpCommands, map[string]any{"Commands": names(helpMember)}), helpText(c.lang, helpAnyone))
		return nil
	}
	c.say(helpText(c.lang, helpAnyone), helpText(c.lang, helpSettings))
	return nil
}

func (c *conv) setLang(ctx context.Context, cmd Command, _ *pending) error {
	if err := c.d.Services.Contacts.SetLang(ctx, c.msg.URN, cmd.Lang); err != nil {
		return err
	}
	c.lang = cmd.Lang
	c.say(T(c.lang, msgLangSet, nil))
	return nil
}

func (c *conv) stop(ctx context.Context, _ Command, _ *pending) error {
	if err := c.d.Services.Contacts.SetStopped(ctx, c.msg.URN, true); err != nil {
		return err
	}
	c.say(T(c.lang, msgStopped, nil))
	return nil
}

func (c *conv) start(ctx context.Context, _ Command, _ *pending) error {
	if err := c.d.Services.Contacts.SetStopped(ctx, c.msg.URN, false); err != nil {
		return err
	}
	c.say(T(c.lang, msgStarted, nil))
	return nil
}
