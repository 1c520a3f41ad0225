package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/argon2"

	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

const testPassword = "mật khẩu đủ dài"

// newAccount creates an account with testPassword.
func (s *services) newAccount(t testing.TB, login string, role core.Role, facilityID int64) *core.Account {
	t.Helper()
	a := &core.Account{Login: login, Role: role, FacilityID: facilityID}
	if err := s.Accounts.CreateAccount(context.Background(), a, testPassword); err != nil {
		t.Fatalf("create account %s: %v", login, err)
	}
	return a
}

func TestCreateAccount(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	p := s.newProducer(t, "HTX A", "0912345678")
	s.newAccount(t, "taken", core.RoleAgency, 0)
	for _, tc := range []struct {
		name     string
		account  core.Account
		password string
		want     core.ErrorCode
	}{
		{"agency", core.Account{Login: "so.khcn", Role: core.RoleAgency}, testPassword, ""},
		{"facility", core.Account{Login: "htx-a", Role: core.RoleFacility, FacilityID: p.facility.ID}, testPassword, ""},
		{"taken login", core.Account{Login: "taken", Role: core.RoleAgency}, testPassword, core.ECONFLICT},
		{"upper case", core.Account{Login: "Lan", Role: core.RoleAgency}, testPassword, core.EINVALID},
		{"one letter", core.Account{Login: "a", Role: core.RoleAgency}, testPassword, core.EINVALID},
		{"no role", core.Account{Login: "norole"}, testPassword, core.EINVALID},
		{"facility without one", core.Account{Login: "htx-b", Role: core.RoleFacility}, testPassword, core.EINVALID},
		{"agency with a facility", core.Account{Login: "so2", Role: core.RoleAgency, FacilityID: p.facility.ID}, testPassword, core.EINVALID},
		{"unknown facility", core.Account{Login: "htx-c", Role: core.RoleFacility, FacilityID: 9999}, testPassword, core.ENOTFOUND},
		{"short password", core.Account{Login: "short", Role: core.RoleAgency}, "123456789", core.EINVALID},
		{"long password", core.Account{Login: "long", Role: core.RoleAgency}, strings.Repeat("x", core.MaxPassword+1), core.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.account
			err := s.Accounts.CreateAccount(ctx, &a, tc.password)
			wantCode(t, err, tc.want)
			if tc.want == "" && (a.ID == 0 || a.CreatedAt.IsZero()) {
				t.Fatalf("created %+v without its id and time", a)
			}
		})
	}

	accounts, err := s.Accounts.FindAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range accounts {
		got = append(got, fmt.Sprintf("%s %s %d %v", a.Login, a.Role, a.FacilityID, a.Disabled))
	}
	want := []string{"htx-a facility " + fmt.Sprint(p.facility.ID) + " false", "so.khcn agency 0 false", "taken agency 0 false"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("accounts %q, want %q", got, want)
	}

	// The hash says how it was made, and the password is nowhere.
	var hash string
	if err := s.db.Pool.QueryRow(ctx, `SELECT password_hash FROM accounts WHERE login = 'taken'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Count(hash, "$") != 5 {
		t.Fatalf("stored hash %q", hash)
	}
	if n := s.count(t, `SELECT count(*) FROM accounts WHERE password_hash LIKE '%' || $1 || '%'`, testPassword); n != 0 {
		t.Fatal("the password is stored as typed")
	}
	var other string
	s.newAccount(t, "same-password", core.RoleAgency, 0)
	s.db.Pool.QueryRow(ctx, `SELECT password_hash FROM accounts WHERE login = 'same-password'`).Scan(&other)
	if other == hash {
		t.Fatal("two accounts with one password have one hash: no salt")
	}
}

func TestLogIn(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	p := s.newProducer(t, "HTX A", "0912345678")
	lan := s.newAccount(t, "lan", core.RoleFacility, p.facility.ID)

	session, err := s.Accounts.LogIn(ctx, " Lan ", testPassword, "203.0.113.7")
	if err != nil {
		t.Fatal(err)
	}
	if session.Account.ID != lan.ID || session.Account.Role != core.RoleFacility || session.Account.FacilityID != p.facility.ID ||
		!session.Account.Sees(p.facility.ID) || session.Account.Sees(p.facility.ID+1) {
		t.Fatalf("session of %+v", session.Account)
	}
	if len(session.Token) != 43 || len(session.CSRF) != 43 || session.Token == session.CSRF {
		t.Fatalf("token %q and csrf %q: want two 32-byte base64url values", session.Token, session.CSRF)
	}
	if _, err := base64.RawURLEncoding.DecodeString(session.Token); err != nil {
		t.Fatalf("token %q: %v", session.Token, err)
	}
	if n := s.count(t, `SELECT count(*) FROM sessions WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, session.Token); n != 1 {
		t.Fatal("the session is not stored under its token's SHA-256")
	}
	if n := s.count(t, `SELECT count(*) FROM sessions WHERE position(convert_to($1, 'UTF8') in token_hash) > 0`, session.Token); n != 0 {
		t.Fatal("the token is stored as sent")
	}

	// A wrong password and an unknown login are one answer.
	wrongPassword, errWrong := s.Accounts.LogIn(ctx, "lan", "not the password", "203.0.113.7")
	_, errUnknown := s.Accounts.LogIn(ctx, "nobody", testPassword, "203.0.113.7")
	for _, err := range []error{errWrong, errUnknown} {
		wantCode(t, err, core.EFORBIDDEN)
		if reasonOf(err) != "" || err.Error() != errWrong.Error() {
			t.Fatalf("refused with %q (reason %q), want the same plain refusal for both", err, reasonOf(err))
		}
	}
	if wrongPassword != nil {
		t.Fatal("a wrong password opened a session")
	}
	if n := s.count(t, `SELECT count(*) FROM login_failures`); n != 2 {
		t.Fatalf("%d failures recorded, want 2", n)
	}

	// Disabled: the right password no longer works, and the session ends.
	if err := s.Accounts.DisableAccount(ctx, "lan"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Accounts.LogIn(ctx, "lan", testPassword, "203.0.113.8")
	wantCode(t, err, core.EFORBIDDEN)
	_, err = s.Accounts.FindSession(ctx, session.Token)
	wantCode(t, err, core.ENOTFOUND)
	if accounts, _ := s.Accounts.FindAccounts(ctx); len(accounts) != 1 || !accounts[0].Disabled || accounts[0].Sees(p.facility.ID) {
		t.Fatalf("after disabling: %+v", accounts[0])
	}
	if err := s.Accounts.DisableAccount(ctx, "lan"); err != nil {
		t.Fatalf("disabling twice: %v", err)
	}
	wantCode(t, s.Accounts.DisableAccount(ctx, "nobody"), core.ENOTFOUND)
}

// tryLogIn logs in with a wrong password unless right, and says how it was
// answered: "ok", "wrong", "limited", or the unexpected error.
func tryLogIn(accounts core.AccountService, login, client string, right bool) string {
	password := "not the password"
	if right {
		password = testPassword
	}
	_, err := accounts.LogIn(context.Background(), login, password, client)
	switch {
	case err == nil:
		return "ok"
	case reasonOf(err) == core.ReasonLoginLimited:
		return "limited"
	case core.ErrorCodeOf(err) == core.EFORBIDDEN:
		return "wrong"
	}
	return fmt.Sprintf("log in %s from %s: %v", login, client, err)
}

func TestLoginLimit(t *testing.T) {
	for _, tc := range []struct {
		name string
		// attempt i's login and client
		login, client func(i int) string
		// who is refused then, and who is not
		refusedLogin, refusedClient, freeLogin, freeClient string
	}{
		{
			name:  "per login, from any client",
			login: func(int) string { return "lan" }, client: func(i int) string { return fmt.Sprintf("198.51.100.%d", i) },
			refusedLogin: "lan", refusedClient: "198.51.100.200", freeLogin: "hoa", freeClient: "198.51.100.1",
		},
		{
			name:  "per client, on any login",
			login: func(i int) string { return []string{"lan", "hoa", "nobody", "admin", "root"}[i%5] }, client: func(int) string { return "203.0.113.9" },
			refusedLogin: "tu", refusedClient: "203.0.113.9", freeLogin: "tu", freeClient: "203.0.113.10",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServices(t)
			for _, login := range []string{"lan", "hoa", "tu"} {
				s.newAccount(t, login, core.RoleAgency, 0)
			}
			for i := range core.LoginTries {
				if got := tryLogIn(s.Accounts, tc.login(i), tc.client(i), false); got != "wrong" {
					t.Fatalf("attempt %d: %s", i+1, got)
				}
			}
			// Spent: even the right password is not read.
			if got := tryLogIn(s.Accounts, tc.refusedLogin, tc.refusedClient, true); got != "limited" {
				t.Fatalf("the right password past the limit: %s", got)
			}
			if got := tryLogIn(s.Accounts, tc.freeLogin, tc.freeClient, true); got != "ok" {
				t.Fatalf("%s from %s: %s", tc.freeLogin, tc.freeClient, got)
			}
			// Refusals are not failures: the count stays at the limit.
			if n := s.count(t, `SELECT count(*) FROM login_failures`); n != core.LoginTries {
				t.Fatalf("%d failures, want %d", n, core.LoginTries)
			}
			// Failures older than the window no longer count.
			s.db.Pool.Exec(context.Background(), `UPDATE login_failures SET failed_at = now() - make_interval(secs => $1)`,
				core.LoginWindow.Seconds()+1)
			if got := tryLogIn(s.Accounts, tc.refusedLogin, tc.refusedClient, true); got != "ok" {
				t.Fatalf("after the window: %s", got)
			}
		})
	}
}

// A right password forgives its login's failures, and a new password
// forgives them too; other logins' failures stand.
func TestLoginSuccessForgives(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	s.newAccount(t, "lan", core.RoleAgency, 0)
	for range core.LoginTries - 1 {
		tryLogIn(s.Accounts, "lan", "192.0.2.1", false)
	}
	tryLogIn(s.Accounts, "nobody", "192.0.2.2", false)
	if got := tryLogIn(s.Accounts, "lan", "192.0.2.3", true); got != "ok" {
		t.Fatal(got)
	}
	if n := s.count(t, `SELECT count(*) FROM login_failures`); n != 1 {
		t.Fatalf("%d failures left, want the other login's one", n)
	}
	for range core.LoginTries {
		tryLogIn(s.Accounts, "lan", "192.0.2.4", false)
	}
	if got := tryLogIn(s.Accounts, "lan", "192.0.2.5", true); got != "limited" {
		t.Fatal(got)
	}
	if err := s.Accounts.SetPassword(ctx, "lan", testPassword+"!"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Accounts.LogIn(ctx, "lan", testPassword+"!", "192.0.2.5"); err != nil {
		t.Fatalf("after a new password: %v", err)
	}
}

// Wrong passwords sent at once through several gateway processes (a pool
// each) are counted one after the other: no more than LoginTries are ever
// checked, the rest are refused unread.
func TestLoginsAtOnce(t *testing.T) {
	url := pgtest.NewURL(t)
	ctx := context.Background()
	var processes []core.AccountService
	for range 4 {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		processes = append(processes, postgres.NewAccountService(db))
	}
	if err := processes[0].CreateAccount(ctx, &core.Account{Login: "lan", Role: core.RoleAgency}, testPassword); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name           string
		login, client  func(i int) string
		attempts       int
		wantWrongTries int
	}{
		{"one login", func(int) string { return "lan" }, func(i int) string { return fmt.Sprint("198.51.100.", i) }, 20, core.LoginTries},
		{"one client", func(i int) string { return fmt.Sprint("guess", i) }, func(int) string { return "203.0.113.99" }, 20, core.LoginTries},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			answers := map[string]int{}
			var wg sync.WaitGroup
			for i := range tc.attempts {
				wg.Go(func() {
					got := tryLogIn(processes[i%len(processes)], tc.login(i), tc.client(i), false)
					mu.Lock()
					answers[got]++
					mu.Unlock()
				})
			}
			wg.Wait()
			if answers["wrong"] != tc.wantWrongTries || answers["limited"] != tc.attempts-tc.wantWrongTries {
				t.Fatalf("answers %v: want %d checked and the rest limited", answers, tc.wantWrongTries)
			}
		})
	}
}

// A hash made with weaker parameters than today's is made again at the
// next login, since only then is the password at hand.
func TestStalePasswordHashIsRenewed(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	s.newAccount(t, "lan", core.RoleAgency, 0)
	salt := make([]byte, 16)
	rand.Read(salt)
	old := fmt.Sprintf("$argon2id$v=19$m=8192,t=1,p=1$%s$%s", base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(argon2.IDKey([]byte(testPassword), salt, 1, 8192, 1, 32)))
	if _, err := s.db.Pool.Exec(ctx, `UPDATE accounts SET password_hash = $1`, old); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Accounts.LogIn(ctx, "lan", testPassword, "192.0.2.1"); err != nil {
		t.Fatalf("log in with the old hash: %v", err)
	}
	var hash string
	s.db.Pool.QueryRow(ctx, `SELECT password_hash FROM accounts`).Scan(&hash)
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash after login %q", hash)
	}
	if _, err := s.Accounts.LogIn(ctx, "lan", testPassword, "192.0.2.1"); err != nil {
		t.Fatalf("log in with the new hash: %v", err)
	}
}
