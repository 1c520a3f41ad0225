//go:build unix && !linux

package pgcluster

import "syscall"

// serverProcAttr is serverProcAttr without a parent-death signal, which only
// Linux has: there the server can outlive a process that is killed.
func serverProcAttr(acct *account, _ syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{
		Credential: acct.credential(),
		Setpgid:    true,
	}
}
