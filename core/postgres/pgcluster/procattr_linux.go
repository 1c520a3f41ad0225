package pgcluster

import "syscall"

// serverProcAttr runs the server as acct, in its own process group so that a
// Ctrl-C at the terminal reaches only us and we shut the server down in our
// own order, and with a parent-death signal so it never outlives us.
func serverProcAttr(acct *account, deathSig syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{
		Credential: acct.credential(),
		Setpgid:    true,
		Pdeathsig:  deathSig,
	}
}
