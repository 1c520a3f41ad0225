package dialog

import (
	"context"

	"tracegate/core"
)

func (c *conv) help() error {
	if c.member != nil {
		c.say(T(c.lang, msgHelpMember, map[string]any{"Name": c.member.Name}),
			T(c.lang, msgHelpMemberCommands, nil), T(c.lang, msgHelpConsumer, nil))
		return nil
	}
	c.say(T(c.lang, msgHelpConsumer, nil), T(c.lang, msgHelpSettings, nil))
	return nil
}

func (c *conv) setLang(ctx context.Context, lang core.Lang) error {
	if err := c.d.Services.Contacts.SetLang(ctx, c.msg.URN, lang); err != nil {
		return err
	}
	c.lang = lang
	c.say(T(lang, msgLangSet, nil))
	return nil
}

func (c *conv) setStopped(ctx context.Context, stopped bool) error {
	if err := c.d.Services.Contacts.SetStopped(ctx, c.msg.URN, stopped); err != nil {
		return err
	}
	if stopped {
		c.say(T(c.lang, msgStopped, nil))
	} else {
		c.say(T(c.lang, msgStarted, nil))
	}
	return nil
}
