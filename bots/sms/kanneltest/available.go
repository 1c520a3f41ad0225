package kanneltest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// The three programs, each with the path where Debian installs it: root's
// PATH has /usr/sbin but other users' often do not, and fakesmsc lives in
// kannel-extras' private directory, on nobody's PATH.
var programs = []struct{ name, debian, pkg string }{
	{"bearerbox", "/usr/sbin/bearerbox", "kannel"},
	{"smsbox", "/usr/sbin/smsbox", "kannel"},
	{"fakesmsc", "/usr/lib/kannel/test/fakesmsc", "kannel-extras"},
}

// Available reports whether bearerbox, smsbox and fakesmsc are installed,
// and if not, why: a reason fit for t.Skip.
func Available() (bool, string) {
	_, err := lookPaths()
	if err != nil {
		return false, err.Error()
	}
	return true, ""
}

// lookPaths finds the programs, by name, in the order of programs.
func lookPaths() (map[string]string, error) {
	found := map[string]string{}
	var missing, pkgs []string
	for _, p := range programs {
		if path, err := exec.LookPath(p.name); err == nil {
			found[p.name] = path
			continue
		}
		if isExecutable(p.debian) {
			found[p.name] = p.debian
			continue
		}
		missing = append(missing, p.name)
		if len(pkgs) == 0 || pkgs[len(pkgs)-1] != p.pkg {
			pkgs = append(pkgs, p.pkg)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("kanneltest: %s not found on PATH nor at Debian's paths (apt-get install %s)",
			strings.Join(missing, ", "), strings.Join(pkgs, " "))
	}
	return found, nil
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0
}
