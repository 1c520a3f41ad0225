package kanneltest

import "syscall"

// procAttr has the kernel kill a program when the test binary dies
// without running its cleanups (a panic, a go test timeout), so that no
// bearerbox outlives the run holding its ports.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
