#pragma once

#include <vector>

#include "common/seccomp_filter.h"

namespace vigil::agent {

// The agent's own allowlist, loaded last in its start-up: the event loop,
// IPC with its children, netlink and the packet sockets that change the
// network, reading the config again on reload, keepalived's dump files, and
// signalling and reaping its children. No fork, exec, ptrace, changing
// users, chroot, mount or module loading: the agent starts no process
// itself (the launcher does), so it needs none of that.
const std::vector<SyscallGroup>& AgentSyscalls();

// Calls libc makes on its own that the agent lives without: refused with
// EPERM rather than a kill.
const std::vector<int>& AgentRefusedSyscalls();

// The launcher's allowlist. A filter is inherited by every process the
// launcher starts (the brain, the checker, and through the checker each
// script), so it holds what they need: the program allowlist, plus what a
// child does between exec and its own filter (chroot, switching users,
// dropping capabilities). What it takes away is the kernel surface no vigil
// process needs: ptrace, module loading, mount, kexec, bpf, io_uring and the
// rest (common/program_syscalls.h).
std::vector<SyscallGroup> LauncherSyscalls();

}  // namespace vigil::agent
