#include "netagent/agent_syscalls.h"

#include <seccomp.h>

#include <set>

#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

std::set<int> Calls(const std::vector<SyscallGroup>& groups) {
  std::set<int> calls;
  for (const SyscallGroup& group : groups)
    calls.insert(group.syscalls.begin(), group.syscalls.end());
  return calls;
}

std::string Name(int call) {
  char* name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, call);
  std::string text = name ? name : "?";
  free(name);
  return text;
}

// The agent starts no process (the launcher does), so it may not start,
// replace or become one, nor change who it is.
TEST(AgentSyscalls, NoProcessStartsExecOrIdentityChange) {
  std::set<int> allowed = Calls(AgentSyscalls());
  for (int call : {SCMP_SYS(fork),        SCMP_SYS(vfork),
                   SCMP_SYS(clone),       SCMP_SYS(clone3),
                   SCMP_SYS(execve),      SCMP_SYS(execveat),
                   SCMP_SYS(ptrace),      SCMP_SYS(process_vm_writev),
                   SCMP_SYS(setuid),      SCMP_SYS(setresuid),
                   SCMP_SYS(setgid),      SCMP_SYS(setgroups),
                   SCMP_SYS(capset),      SCMP_SYS(prctl),
                   SCMP_SYS(chroot),      SCMP_SYS(mount),
                   SCMP_SYS(init_module), SCMP_SYS(finit_module),
                   SCMP_SYS(unshare),     SCMP_SYS(setns),
                   SCMP_SYS(bpf),         SCMP_SYS(io_uring_setup)}) {
    EXPECT_EQ(allowed.count(call), 0u) << Name(call);
  }
}

// The agent's list is its own, not the program list with things added.
TEST(AgentSyscalls, NarrowerThanTheLaunchers) {
  std::set<int> agent = Calls(AgentSyscalls());
  std::set<int> launcher = Calls(LauncherSyscalls());
  for (int call : agent) EXPECT_EQ(launcher.count(call), 1u) << Name(call);
  EXPECT_LT(agent.size() * 2, launcher.size());
}

// What a root child needs between exec and its own sandbox.
TEST(LauncherSyscalls, LetAChildSwitchUsersButNotPtraceOrMount) {
  std::set<int> launcher = Calls(LauncherSyscalls());
  for (int call : {SCMP_SYS(clone3), SCMP_SYS(execve), SCMP_SYS(chroot),
                   SCMP_SYS(setresuid), SCMP_SYS(setgroups), SCMP_SYS(capset)})
    EXPECT_EQ(launcher.count(call), 1u) << Name(call);
  for (int call : {SCMP_SYS(ptrace), SCMP_SYS(mount), SCMP_SYS(kexec_load),
                   SCMP_SYS(init_module)})
    EXPECT_EQ(launcher.count(call), 0u) << Name(call);
}

TEST(AgentSyscalls, RefusedCallsAreNotAlsoAllowed) {
  std::set<int> allowed = Calls(AgentSyscalls());
  for (int call : AgentRefusedSyscalls())
    EXPECT_EQ(allowed.count(call), 0u) << Name(call);
}

}  // namespace
}  // namespace vigil::agent
