#include "common/program_syscalls.h"

#include <seccomp.h>

#include <set>

#include "gtest/gtest.h"

namespace vigil {
namespace {

std::set<int> Allowed() {
  std::set<int> calls;
  for (const SyscallGroup& group : ProgramSyscalls())
    calls.insert(group.syscalls.begin(), group.syscalls.end());
  return calls;
}

TEST(ProgramSyscalls, LeaveOutWhatChangesTheSystemOrReachesOtherProcesses) {
  std::set<int> allowed = Allowed();
  for (int call : {SCMP_SYS(ptrace),
                   SCMP_SYS(process_vm_readv),
                   SCMP_SYS(process_vm_writev),
                   SCMP_SYS(kcmp),
                   SCMP_SYS(pidfd_getfd),
                   SCMP_SYS(mount),
                   SCMP_SYS(umount2),
                   SCMP_SYS(pivot_root),
                   SCMP_SYS(chroot),
                   SCMP_SYS(init_module),
                   SCMP_SYS(finit_module),
                   SCMP_SYS(delete_module),
                   SCMP_SYS(kexec_load),
                   SCMP_SYS(kexec_file_load),
                   SCMP_SYS(reboot),
                   SCMP_SYS(swapon),
                   SCMP_SYS(swapoff),
                   SCMP_SYS(settimeofday),
                   SCMP_SYS(clock_settime),
                   SCMP_SYS(adjtimex),
                   SCMP_SYS(sethostname),
                   SCMP_SYS(setdomainname),
                   SCMP_SYS(iopl),
                   SCMP_SYS(ioperm),
                   SCMP_SYS(acct),
                   SCMP_SYS(syslog),
                   SCMP_SYS(setuid),
                   SCMP_SYS(setresuid),
                   SCMP_SYS(capset)}) {
    EXPECT_EQ(allowed.count(call), 0u)
        << seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, call);
  }
}

TEST(ProgramSyscalls, RefusedCallsAreNotAlsoAllowed) {
  std::set<int> allowed = Allowed();
  for (int call : ProgramRefusedSyscalls()) {
    EXPECT_EQ(allowed.count(call), 0u)
        << seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, call);
  }
}

TEST(ProgramSyscalls, EveryCallExistsHereAndIsListedOnce) {
  size_t listed = 0;
  for (const SyscallGroup& group : ProgramSyscalls()) {
    for (int call : group.syscalls) {
      EXPECT_GE(call, 0) << group.purpose;
      ++listed;
    }
  }
  EXPECT_EQ(listed, Allowed().size());
}

}  // namespace
}  // namespace vigil
