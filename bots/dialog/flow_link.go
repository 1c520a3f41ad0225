package dialog

import (
	"context"

	"tracegate/core"
)

// linkAccount ties the account a message came from to the member registered
// with the phone number shared: only the person's own number counts, or
// anyone could claim a farmer's facility by sharing their contact.
func (c *conv) linkAccount(ctx context.Context) error {
	if !c.msg.ContactOwn {
		c.say(T(c.lang, msgContactNotOwn, nil))
		return nil
	}
	m, err := c.d.Services.Members.FindMemberByURN(ctx, *c.msg.Contact)
	if core.ErrorCodeOf(err) == core.ENOTFOUND {
		c.say(T(c.lang, msgContactUnknown, map[string]any{"Phone": c.msg.Contact.Path()}))
		return nil
	}
	if err != nil {
		return err
	}
	err = c.d.Services.Members.AddURN(ctx, m.ID, c.msg.URN)
	if core.ErrorCodeOf(err) == core.ECONFLICT {
		c.say(T(c.lang, msgContactTaken, nil))
		return nil
	}
	if err != nil {
		return err
	}
	c.member, c.lang = m, c.d.langOf(c.contact, m)
	c.say(T(c.lang, msgLinked, map[string]any{"Name": m.Name}), T(c.lang, msgHelpCommands, map[string]any{"Commands": names(helpMember)}))
	return nil
}
