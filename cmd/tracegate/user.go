package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"text/tabwriter"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

const userUsage = "user add --role agency|facility [--facility ID] --login NAME, user passwd --login NAME, user disable --login NAME or user list"

// user keeps the web console's accounts from the command line, on
// DATABASE_URL. A password is read before the database is opened, so no
// transaction waits on a person typing. Each change goes into the audit
// log in its own transaction, as made by "cli:" and the operator's name.
func user(ctx context.Context, cfg config, args []string, getenv func(string) string, in io.Reader, out io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		return fmt.Errorf("%s: %w", userUsage, errUsage)
	}
	flags := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	login := flags.String("login", "", "the account's login")
	role := flags.String("role", "", "agency or facility")
	facility := flags.Int64("facility", 0, "the facility a facility account manages")
	if err := flags.Parse(args[1:]); err != nil || flags.NArg() > 0 {
		return fmt.Errorf("%s: %w", userUsage, errUsage)
	}
	var do func(ctx context.Context, s core.Services, who string) error
	// Filled in below, once the command line and DATABASE_URL are known
	// good, before do runs.
	var password string
	var generated, asksPassword bool
	switch args[0] {
	case "add":
		if *login == "" || *role == "" {
			return fmt.Errorf("user add needs --login and --role agency|facility: %w", errUsage)
		}
		a := &core.Account{Login: *login, Role: core.Role(*role), FacilityID: *facility}
		if err := a.Validate(); err != nil {
			return fmt.Errorf("user add: %s", core.ErrorMessage(err))
		}
		asksPassword = true
		do = func(ctx context.Context, s core.Services, who string) error {
			return addUser(ctx, s, who, a, password, generated, out)
		}
	case "passwd":
		if *login == "" {
			return fmt.Errorf("user passwd needs --login: %w", errUsage)
		}
		asksPassword = true
		do = func(ctx context.Context, s core.Services, who string) error {
			return setPassword(ctx, s, who, *login, password, generated, out)
		}
	case "disable":
		if *login == "" {
			return fmt.Errorf("user disable needs --login: %w", errUsage)
		}
		do = func(ctx context.Context, s core.Services, who string) error {
			return disableUser(ctx, s, who, *login, out)
		}
	case "list":
		do = func(ctx context.Context, s core.Services, _ string) error { return listUsers(ctx, s, out) }
	default:
		return fmt.Errorf("unknown user command %q: %w", args[0], errUsage)
	}
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set")
	}
	if asksPassword {
		var err error
		if password, generated, err = readPassword(in, out); err != nil {
			return err
		}
	}
	db, err := openDB(ctx, cfg.DatabaseURL, cfg.Pooler, log)
	if err != nil {
		return err
	}
	defer db.Close()
	who := "cli"
	if name := getenv("USER"); name != "" {
		who += ":" + name
	}
	err = db.InTx(ctx, func(_ pgx.Tx, s core.Services) error { return do(ctx, s, who) })
	if err != nil {
		return fmt.Errorf("user %s: %w", args[0], err)
	}
	return nil
}

func addUser(ctx context.Context, s core.Services, who string, a *core.Account, password string, generated bool, out io.Writer) error {
	if err := s.Accounts.CreateAccount(ctx, a, password); err != nil {
		return err
	}
	if err := audit(ctx, s, who, "account.create", a, nil, a); err != nil {
		return err
	}
	fmt.Fprintf(out, "created %s account %s\n", a.Role, a.Login)
	showPassword(out, password, generated)
	return nil
}

func setPassword(ctx context.Context, s core.Services, who, login, password string, generated bool, out io.Writer) error {
	a, err := findAccount(ctx, s, login)
	if err != nil {
		return err
	}
	if err := s.Accounts.SetPassword(ctx, login, password); err != nil {
		return err
	}
	// Neither hash is shown: that the password changed is the news.
	if err := audit(ctx, s, who, "account.password", a, nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(out, "new password for %s; its sessions have ended\n", login)
	showPassword(out, password, generated)
	return nil
}

func disableUser(ctx context.Context, s core.Services, who, login string, out io.Writer) error {
	before, err := findAccount(ctx, s, login)
	if err != nil {
		return err
	}
	if err := s.Accounts.DisableAccount(ctx, login); err != nil {
		return err
	}
	after := *before
	after.Disabled = true
	if err := audit(ctx, s, who, "account.disable", before, before, &after); err != nil {
		return err
	}
	fmt.Fprintf(out, "disabled %s; its sessions have ended\n", login)
	return nil
}

func listUsers(ctx context.Context, s core.Services, out io.Writer) error {
	accounts, err := s.Accounts.FindAccounts(ctx)
	if err != nil {
		return err
	}
	facilities, err := s.Facilities.FindFacilities(ctx)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, f := range facilities {
		names[f.ID] = f.Name
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "LOGIN\tROLE\tSTATE\tCREATED\tFACILITY")
	for _, a := range accounts {
		state, facility := "active", ""
		if a.Disabled {
			state = "disabled"
		}
		if a.FacilityID != 0 {
			facility = fmt.Sprintf("%d %s", a.FacilityID, names[a.FacilityID])
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Login, a.Role, state, a.CreatedAt.Format("2006-01-02 15:04"), facility)
	}
	return w.Flush()
}

func findAccount(ctx context.Context, s core.Services, login string) (*core.Account, error) {
	accounts, err := s.Accounts.FindAccounts(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		if a.Login == login {
			return a, nil
		}
	}
	return nil, core.Errorf(core.ENOTFOUND, "no account %q", login)
}

// audit records a change to an account made from the command line.
func audit(ctx context.Context, s core.Services, who, action string, a, before, after *core.Account) error {
	e := &core.AuditEntry{Login: who, Action: action, Object: "account", ObjectID: a.ID, FacilityID: a.FacilityID}
	var err error
	if before != nil {
		if e.Before, err = json.Marshal(before); err != nil {
			return err
		}
	}
	if after != nil {
		if e.After, err = json.Marshal(after); err != nil {
			return err
		}
	}
	return s.Audit.Record(ctx, e)
}

// readPassword takes the first line of in, or a generated password when
// there is none: a script pipes one in, a person presses Enter.
func readPassword(in io.Reader, out io.Writer) (password string, generated bool, err error) {
	if in != nil {
		if isTerminal(in) {
			fmt.Fprint(out, "Password (it shows as you type; Enter alone generates one): ")
		}
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", false, fmt.Errorf("read password: %w", err)
		}
		if password = strings.TrimRight(line, "\r\n"); password != "" {
			return password, false, nil
		}
	}
	password, err = generatePassword()
	return password, true, err
}

func showPassword(out io.Writer, password string, generated bool) {
	if generated {
		fmt.Fprintf(out, "password %s   (shown this once; tracegate user passwd sets another)\n", password)
	}
}

// readable are the symbols of a generated password: lower-case letters
// and digits without 0, 1, i, l and o, which are misread on paper and
// misheard over the phone.
const readable = "abcdefghjkmnpqrstuvwxyz23456789"

// generatePassword draws 20 readable symbols (about 99 bits) in groups of
// four, which a person can read out and type in one group at a time.
func generatePassword() (string, error) {
	var b strings.Builder
	for i := range 20 {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(readable))))
		if err != nil {
			return "", fmt.Errorf("generate password: %w", err)
		}
		b.WriteByte(readable[n.Int64()])
	}
	return b.String(), nil
}
