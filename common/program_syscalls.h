#pragma once

#include <vector>

#include "common/seccomp_filter.h"

namespace vigil {

// The allowlist for processes that run other programs: the checker and the
// scripts it starts (which inherit its filter). What ordinary programs use
// (files, processes, memory, sockets, time, signals, IPC), grouped by
// purpose. Left out, so they kill the caller: the kernel surfaces that
// capabilities do not guard and that exploits reach for (ptrace and
// process_vm_*, kcmp, pidfd_getfd), and everything that changes the system
// rather than the process (mount, chroot, modules, kexec, reboot, swap,
// clocks, host name, quotas, accounting, raw port I/O, syslog).
const std::vector<SyscallGroup>& ProgramSyscalls();

// Refused with EPERM rather than a kill: calls programs probe and live
// without (io_uring, userfaultfd, bpf, perf events, keyrings, new
// namespaces, file handles), so a script falls back instead of dying.
const std::vector<int>& ProgramRefusedSyscalls();

}  // namespace vigil
