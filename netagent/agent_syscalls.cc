#include "netagent/agent_syscalls.h"

#include <seccomp.h>

#include "common/program_syscalls.h"

namespace vigil::agent {

std::vector<SyscallGroup> AgentSyscalls() {
  std::vector<SyscallGroup> groups = ProgramSyscalls();
  groups.push_back(
      {"a restarted child's start-up: chroot, its user, its capabilities",
       {SCMP_SYS(chroot), SCMP_SYS(setuid), SCMP_SYS(setgid),
        SCMP_SYS(setreuid), SCMP_SYS(setregid), SCMP_SYS(setresuid),
        SCMP_SYS(setresgid), SCMP_SYS(setgroups), SCMP_SYS(setfsuid),
        SCMP_SYS(setfsgid), SCMP_SYS(capset)}});
  return groups;
}

}  // namespace vigil::agent
