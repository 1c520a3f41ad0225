package main

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

var generatedPassword = regexp.MustCompile(`password (\S+) +\(shown this once`)

func TestUserCommands(t *testing.T) {
	ctx := context.Background()
	env := map[string]string{"DATABASE_URL": pgtest.NewURL(t), "USER": "tester"}
	db, err := postgres.Open(ctx, env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := postgres.NewServices(db)
	honey := &core.Facility{Name: "HTX Mật ong", Province: "Cà Mau"}
	if err := s.Facilities.CreateFacility(ctx, honey); err != nil {
		t.Fatal(err)
	}
	tracegate := func(stdin string, args ...string) (string, error) {
		out := &output{}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		err := run(ctx, append([]string{"user"}, args...), func(k string) string { return env[k] }, strings.NewReader(stdin), out, log)
		return out.String(), err
	}
	logIn := func(login, password string) error {
		_, err := s.Accounts.LogIn(ctx, login, password, "cli-test")
		return err
	}

	// Given on stdin, the password is not printed.
	out, err := tracegate("một mật khẩu dài\nthe second line is not read\n", "add", "--role", "agency", "--login", "so.khcn")
	if err != nil || strings.Contains(out, "mật khẩu") || !strings.Contains(out, "created agency account so.khcn") {
		t.Fatalf("add with a password: %v\n%s", err, out)
	}
	if err := logIn("so.khcn", "một mật khẩu dài"); err != nil {
		t.Fatal(err)
	}

	// With none, one is made up and shown once.
	out, err = tracegate("", "add", "--role", "facility", "--facility", "1", "--login", "htx-matong")
	if err != nil {
		t.Fatalf("add without a password: %v\n%s", err, out)
	}
	first := generatedPassword.FindStringSubmatch(out)
	if first == nil || len(first[1]) < 16 || strings.ContainsAny(first[1], "0O1lIio") {
		t.Fatalf("no readable generated password in\n%s", out)
	}
	if err := logIn("htx-matong", first[1]); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"một mật khẩu dài\n", []string{"add", "--role", "agency", "--login", "so.khcn"}, "taken"},
		{"một mật khẩu dài\n", []string{"add", "--role", "facility", "--facility", "99", "--login", "htx-b"}, "facility 99 not found"},
		{"", []string{"add", "--role", "facility", "--login", "htx-c"}, "needs its facility"},
		{"", []string{"add", "--role", "boss", "--login", "htx-c"}, "role must be agency or facility"},
		{"short\n", []string{"add", "--role", "agency", "--login", "short"}, "10 to 128 characters"},
		{"", []string{"passwd", "--login", "nobody"}, `no account "nobody"`},
		{"", []string{"disable", "--login", "nobody"}, `no account "nobody"`},
	} {
		if out, err := tracegate(tc.stdin, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("user %v: %v, want %q\n%s", tc.args, err, tc.want, out)
		}
	}

	// A new password, generated: the old one and its session stop.
	session, err := s.Accounts.LogIn(ctx, "htx-matong", first[1], "cli-test")
	if err != nil {
		t.Fatal(err)
	}
	out, err = tracegate("\n", "passwd", "--login", "htx-matong")
	second := generatedPassword.FindStringSubmatch(out)
	if err != nil || second == nil || second[1] == first[1] {
		t.Fatalf("passwd: %v\n%s", err, out)
	}
	if logIn("htx-matong", first[1]) == nil || logIn("htx-matong", second[1]) != nil {
		t.Fatal("after passwd, the old password works or the new one does not")
	}
	if _, err := s.Accounts.FindSession(ctx, session.Token); core.ErrorCodeOf(err) != core.ENOTFOUND {
		t.Fatalf("a session from before passwd: %v", err)
	}
	if out, err = tracegate("một mật khẩu khác\n", "passwd", "--login", "so.khcn"); err != nil || generatedPassword.MatchString(out) {
		t.Fatalf("passwd from stdin: %v\n%s", err, out)
	}
	if err := logIn("so.khcn", "một mật khẩu khác"); err != nil {
		t.Fatal(err)
	}

	if out, err = tracegate("", "disable", "--login", "so.khcn"); err != nil {
		t.Fatalf("disable: %v\n%s", err, out)
	}
	if logIn("so.khcn", "một mật khẩu khác") == nil {
		t.Fatal("a disabled login logs in")
	}

	out, err = tracegate("", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 3 || !regexp.MustCompile(`^htx-matong +facility +active +\S+ \S+ +1 HTX Mật ong$`).MatchString(lines[1]) ||
		!regexp.MustCompile(`^so\.khcn +agency +disabled `).MatchString(lines[2]) {
		t.Fatalf("list: %v\n%s", err, out)
	}

	// Every change is in the audit log, as made from the command line.
	entries, err := s.Audit.FindAudit(ctx, 0, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if e.Login != "cli:tester" || e.AccountID != 0 || e.Object != "account" || e.ObjectID == 0 {
			t.Errorf("audit entry %+v", e)
		}
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "account.disable account.password account.password account.create account.create" {
		t.Fatalf("audit log, newest first: %s", got)
	}
	if entries[0].FacilityID != 0 || !strings.Contains(string(entries[0].After), `"disabled": true`) {
		t.Fatalf("the disabling's entry %+v (after %s)", entries[0], entries[0].After)
	}
	if entries[3].FacilityID != honey.ID {
		t.Fatalf("the facility account's creation is not the facility's: %+v", entries[3])
	}
}
