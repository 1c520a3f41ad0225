package postgres_test

import (
	"context"
	"testing"
	"time"

	"tracegate/core"
)

// logIn opens a session of login with testPassword.
func (s *services) logIn(t testing.TB, login string) *core.Session {
	t.Helper()
	session, err := s.Accounts.LogIn(context.Background(), login, testPassword, "192.0.2.1")
	if err != nil {
		t.Fatalf("log in %s: %v", login, err)
	}
	return session
}

// ageSession moves a session's timestamps back: opened and last seen so
// long ago.
func (s *services) ageSession(t testing.TB, session *core.Session, opened, seen time.Duration) {
	t.Helper()
	_, err := s.db.Pool.Exec(context.Background(), `
		UPDATE sessions SET created_at = now() - make_interval(secs => $2), last_seen_at = now() - make_interval(secs => $3)
		WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, session.Token, opened.Seconds(), seen.Seconds())
	if err != nil {
		t.Fatal(err)
	}
}

// lastSeen is how long ago the session was last seen, by the database.
func (s *services) lastSeen(t testing.TB, session *core.Session) time.Duration {
	t.Helper()
	var secs float64
	err := s.db.Pool.QueryRow(context.Background(), `
		SELECT extract(epoch FROM now() - last_seen_at)::float8 FROM sessions
		WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, session.Token).Scan(&secs)
	if err != nil {
		t.Fatal(err)
	}
	return time.Duration(secs * float64(time.Second))
}

func TestSessionExpiry(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	s.newAccount(t, "lan", core.RoleAgency, 0)
	for _, tc := range []struct {
		name         string
		opened, seen time.Duration
		live         bool
		// how far the answer's expiry lies from now, and whether the
		// visit moved last_seen_at
		expiresIn time.Duration
		touched   bool
	}{
		{"just opened", 0, 0, true, core.SessionIdle, false},
		{"seen half a minute ago", time.Hour, 30 * time.Second, true, core.SessionIdle - 30*time.Second, false},
		{"idle a while", time.Hour, core.SessionIdle - time.Minute, true, core.SessionIdle, true},
		{"idle too long", time.Hour, core.SessionIdle + time.Second, false, 0, false},
		{"near its end", core.SessionMax - 10*time.Minute, 5 * time.Minute, true, 10 * time.Minute, true},
		{"too old, though busy", core.SessionMax + time.Second, 0, false, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			session := s.logIn(t, "lan")
			s.ageSession(t, session, tc.opened, tc.seen)
			found, err := s.Accounts.FindSession(ctx, session.Token)
			if !tc.live {
				wantCode(t, err, core.ENOTFOUND)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if found.Account.Login != "lan" || found.CSRF != session.CSRF || found.Token != session.Token {
				t.Fatalf("found %+v", found)
			}
			if d := time.Until(found.ExpiresAt) - tc.expiresIn; d < -5*time.Second || d > 5*time.Second {
				t.Fatalf("expires in %s, want %s", time.Until(found.ExpiresAt), tc.expiresIn)
			}
			if touched := s.lastSeen(t, session) < 5*time.Second; touched != (tc.touched || tc.seen == 0) {
				t.Fatalf("last seen %s ago after the visit, want touched %v", s.lastSeen(t, session), tc.touched)
			}
		})
	}
	_, err := s.Accounts.FindSession(ctx, "no such token")
	wantCode(t, err, core.ENOTFOUND)
}

func TestSessionsEnd(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	s.newAccount(t, "lan", core.RoleAgency, 0)
	s.newAccount(t, "hoa", core.RoleAgency, 0)
	phone, office, other := s.logIn(t, "lan"), s.logIn(t, "lan"), s.logIn(t, "hoa")

	// Logging out ends that session only, and twice is no error.
	for range 2 {
		if err := s.Accounts.LogOut(ctx, phone.Token); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.Accounts.FindSession(ctx, phone.Token)
	wantCode(t, err, core.ENOTFOUND)
	if _, err := s.Accounts.FindSession(ctx, office.Token); err != nil {
		t.Fatalf("the other session of the login: %v", err)
	}

	// A new password ends every session of its login, and the old one
	// stops working.
	for _, tc := range []struct {
		login, password string
		want            core.ErrorCode
	}{
		{"lan", "short", core.EINVALID},
		{"nobody", testPassword, core.ENOTFOUND},
		{"lan", "một mật khẩu mới", ""},
	} {
		wantCode(t, s.Accounts.SetPassword(ctx, tc.login, tc.password), tc.want)
	}
	_, err = s.Accounts.FindSession(ctx, office.Token)
	wantCode(t, err, core.ENOTFOUND)
	if _, err := s.Accounts.FindSession(ctx, other.Token); err != nil {
		t.Fatalf("another login's session: %v", err)
	}
	_, err = s.Accounts.LogIn(ctx, "lan", testPassword, "192.0.2.1")
	wantCode(t, err, core.EFORBIDDEN)
	if _, err := s.Accounts.LogIn(ctx, "lan", "một mật khẩu mới", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
}

// Housekeeping drops expired sessions and failures older than a day, and
// nothing younger.
func TestHousekeepSessionsAndFailures(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	s.newAccount(t, "lan", core.RoleAgency, 0)
	idle, old, live := s.logIn(t, "lan"), s.logIn(t, "lan"), s.logIn(t, "lan")
	s.ageSession(t, idle, time.Hour, core.SessionIdle+time.Second)
	s.ageSession(t, old, core.SessionMax+time.Second, 0)
	tryLogIn(s.Accounts, "lan", "192.0.2.1", false)
	tryLogIn(s.Accounts, "lan", "192.0.2.1", false)
	s.db.Pool.Exec(ctx, `UPDATE login_failures SET failed_at = now() - interval '25 hours'
		WHERE id = (SELECT min(id) FROM login_failures)`)
	if _, err := s.db.Housekeep(ctx); err != nil {
		t.Fatal(err)
	}
	if n := s.count(t, `SELECT count(*) FROM sessions`); n != 1 {
		t.Fatalf("%d sessions left, want the live one", n)
	}
	if _, err := s.Accounts.FindSession(ctx, live.Token); err != nil {
		t.Fatal(err)
	}
	if n := s.count(t, `SELECT count(*) FROM login_failures`); n != 1 {
		t.Fatalf("%d failures left, want the young one", n)
	}
}
