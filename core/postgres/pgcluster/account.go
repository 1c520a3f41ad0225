package pgcluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"slices"
	"strconv"
	"syscall"
)

// account is the OS user the server runs as when we are root.
type account struct {
	uid, gid uint32
	groups   []uint32 // supplementary groups, including gid
}

// serverAccount returns nil when the server can run as the current user.
// initdb and postgres refuse to run as root, so as root they run as the
// `postgres` OS user that the distribution's server package creates.
func serverAccount() (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		var unknown user.UnknownUserError
		if errors.As(err, &unknown) {
			return nil, errors.New("running as root, which initdb and postgres refuse, and there is no \"postgres\" OS user to run them as: install the PostgreSQL server package (apt-get install postgresql) or create the user (useradd --system postgres)")
		}
		return nil, fmt.Errorf("look up the postgres OS user: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("postgres OS user has uid %q: %w", u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("postgres OS user has gid %q: %w", u.Gid, err)
	}
	a := &account{uid: uint32(uid), gid: uint32(gid), groups: []uint32{uint32(gid)}}
	// Supplementary groups only widen what the server may reach; without
	// them it still runs.
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.ParseUint(id, 10, 32); err == nil && !slices.Contains(a.groups, uint32(g)) {
				a.groups = append(a.groups, uint32(g))
			}
		}
	}
	return a, nil
}

// credential is nil for the current user, which tells os/exec not to switch.
func (a *account) credential() *syscall.Credential {
	if a == nil {
		return nil
	}
	return &syscall.Credential{Uid: a.uid, Gid: a.gid, Groups: a.groups}
}

// chown hands a directory we created to the server's user; a no-op when the
// server runs as us.
func (a *account) chown(path string) error {
	if a == nil {
		return nil
	}
	if err := os.Chown(path, int(a.uid), int(a.gid)); err != nil {
		return fmt.Errorf("hand %s to the postgres OS user: %w", path, err)
	}
	return nil
}

// canSearch applies the kernel's rule: only the owner bits count for the
// owner, only the group bits for a group member, the other bits for the rest.
func (a *account) canSearch(perm fs.FileMode, uid, gid uint32) bool {
	switch {
	case uid == a.uid:
		return perm&0o100 != 0
	case slices.Contains(a.groups, gid):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}
