package dialog

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"tracegate/core"
)

// command is one command of the language, registered by its own file:
// the words that call it, who may use it, how its arguments read, when it
// has all it needs, how it runs (asking for what is missing), its part of
// the help and its entry in the chat apps' command menus. Parsing, the
// guided questions, the help and the menus are all read from here.
type command struct {
	Intent Intent
	// Words call it, folded as keys are (no accents, upper case, words
	// joined: `NHATKY`, `LOMOI`), in both languages.
	Words []string
	// Member says only a facility's members may use it.
	Member bool
	// Parse reads the arguments after the command word, which took the
	// first n tokens of text; nil when it takes none.
	Parse func(cmd *Command, text string, toks []token, n int)
	// Complete says whether cmd carries all it needs; nil when it always does.
	Complete func(cmd Command) bool
	// Run carries the command out, asking for what is missing; p is the
	// question just answered, nil for a fresh command.
	Run func(c *conv, ctx context.Context, cmd Command, p *pending) error
	// Help is how to use it, in its group of the help; "" for none.
	// Shown is how the help names it (`LO MOI`); its first word when "".
	Help  msgID
	Group helpGroup
	Shown string
	// Menu is its entry in the chat apps' command menus (`/diary`), the
	// entry's words MenuText; "" for none.
	Menu     string
	MenuText msgID
	// Rank orders the help and the menus: the most used first.
	Rank int
	// Refusals word the reasons core gives for refusing what this command
	// brings about, wherever they are met (a closed lot, by the diary too).
	Refusals map[string]msgID
}

// helpGroup is the part of the help a command belongs to.
type helpGroup int

const (
	helpMember   helpGroup = iota + 1 // a member's work, shown to members
	helpAnyone                        // lookups and feedback, shown to everyone
	helpSettings                      // language and notices, shown to non-members
)

var (
	commands = map[Intent]*command{}
	keywords = map[string]Intent{} // every command word, folded
	refusals = map[string]msgID{}  // core's reasons, in words
)

// register adds a command; called by each command's file. A word or
// intent registered twice is a bug caught at start.
func register(c command) {
	if _, ok := commands[c.Intent]; ok || c.Run == nil {
		panic(fmt.Sprintf("dialog: command %q registered twice or without Run", c.Intent))
	}
	for _, w := range c.Words {
		if other, ok := keywords[w]; ok || keyOf(w) != w || strings.Contains(w, " ") {
			panic(fmt.Sprintf("dialog: word %q of %q is taken by %q or not folded", w, c.Intent, other))
		}
		keywords[w] = c.Intent
	}
	for reason, id := range c.Refusals {
		refusals[reason] = id
	}
	commands[c.Intent] = &c
}

// memberOnly reports whether only a facility's members may ask for it.
func (i Intent) memberOnly() bool {
	c, ok := commands[i]
	return ok && c.Member
}

// complete reports whether a command carries everything it needs.
func complete(cmd Command) bool {
	c, ok := commands[cmd.Intent]
	return !ok || c.Complete == nil || c.Complete(cmd)
}

// ranked are the registered commands in the order of the help and menus.
func ranked() []*command {
	list := make([]*command, 0, len(commands))
	for _, c := range commands {
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b *command) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), strings.Compare(string(a.Intent), string(b.Intent)))
	})
	return list
}

// helpText is one group of the help in lang: each command's part, in rank
// order, as one line.
func helpText(lang core.Lang, group helpGroup) string {
	var parts []string
	for _, c := range ranked() {
		if c.Group == group && c.Help != "" {
			parts = append(parts, T(lang, c.Help, nil))
		}
	}
	return strings.Join(parts, " ")
}

// names lists the commands of a group as the help names them.
func names(group helpGroup) string {
	var list []string
	for _, c := range ranked() {
		if c.Group == group && c.Help != "" {
			list = append(list, cmp.Or(c.Shown, c.Words[0]))
		}
	}
	return strings.Join(list, ", ")
}

// MenuEntry is a command in a chat app's menu: `/diary`, "Record a diary
// step".
type MenuEntry struct {
	Command     string
	Description string
}

// Menu is the command menu in lang, for the chat apps that show one.
func Menu(lang core.Lang) []MenuEntry {
	var menu []MenuEntry
	for _, c := range ranked() {
		if c.Menu != "" {
			menu = append(menu, MenuEntry{Command: c.Menu, Description: T(lang, c.MenuText, nil)})
		}
	}
	return menu
}
