#pragma once

#include <vector>

#include "common/seccomp_filter.h"

namespace vigil::agent {

// The agent's seccomp allowlist. A filter is inherited by every process the
// agent starts from then on (a restarted child, and through the checker each
// script), so it must hold what they need: the program allowlist, plus what
// a child does between exec and its own filter (chroot, switching users,
// dropping capabilities). What it takes away is the kernel surface no vigil
// process needs: ptrace, module loading, mount, kexec, bpf, io_uring and the
// rest (common/program_syscalls.h).
std::vector<SyscallGroup> AgentSyscalls();

}  // namespace vigil::agent
