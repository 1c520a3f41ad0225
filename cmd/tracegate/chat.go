package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"tracegate/bots/console"
	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/core/postgres"
)

// chat talks to the dialog as a phone number, one message a line: the
// console channel, on the same database as serve (DATABASE_URL), or on the
// dev database when it is unset.
func chat(ctx context.Context, cfg config, args []string, in io.Reader, out io.Writer, log *slog.Logger) error {
	flags := flag.NewFlagSet("chat", flag.ContinueOnError)
	flags.SetOutput(out)
	as := flags.String("as", "", "the phone number to write as, e.g. 0912345678")
	dir := flags.String("dir", ".tracegate", "where the dev Postgres cluster lives")
	if err := flags.Parse(args); err != nil || *as == "" {
		return fmt.Errorf("chat needs --as <phone>: %w", errUsage)
	}
	urn, err := core.TelURN(*as)
	if err != nil {
		return fmt.Errorf("--as %s: %s", *as, core.ErrorMessage(err))
	}
	db, _, stop, err := openDevDB(ctx, &cfg, *dir, out, log)
	if err != nil {
		return err
	}
	defer stop()
	d := &dialog.Dialog{
		Services:    postgres.NewServices(db),
		BaseURL:     orDefault(cfg.PublicBaseURL, "http://localhost:8080"),
		DefaultLang: cfg.DefaultLang,
	}
	fmt.Fprintf(out, "Writing as %s, by SMS rules. One message a line; Ctrl-D ends.\n", urn.Path())
	return (&console.Console{Dialog: d, URN: urn, Policy: cfg.SMSAccents, In: in, Out: out, Echo: !isTerminal(in)}).Run(ctx)
}

// isTerminal reports whether r is a terminal a person types at.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
