#include "common/seccomp_filter.h"

#include <seccomp.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace vigil {
namespace {

// SIGSYS in trap mode: say which call it was, then leave as a kill would.
// Only async-signal-safe calls, apart from the name lookup, which allocates:
// acceptable in a process that is about to exit.
void OnForbiddenSyscall(int, siginfo_t* info, void*) {
  char* name =
      seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, info->si_syscall);
  const char prefix[] = "seccomp: forbidden system call ";
  (void)!write(STDERR_FILENO, prefix, sizeof(prefix) - 1);
  if (name != nullptr) (void)!write(STDERR_FILENO, name, strlen(name));
  (void)!write(STDERR_FILENO, "\n", 1);
  _exit(128 + SIGSYS);
}

}  // namespace

absl::StatusOr<SeccompMode> ParseSeccompMode(absl::string_view text) {
  if (text == "kill") return SeccompMode::kKill;
  if (text == "trap") return SeccompMode::kTrap;
  if (text == "off") return SeccompMode::kOff;
  return absl::InvalidArgumentError(
      absl::StrCat("--seccomp takes kill, trap or off, not '", text, "'"));
}

const char* SeccompModeName(SeccompMode mode) {
  switch (mode) {
    case SeccompMode::kKill:
      return "kill";
    case SeccompMode::kTrap:
      return "trap";
    case SeccompMode::kOff:
      return "off";
  }
  return "?";
}

absl::Status InstallSeccomp(std::span<const SyscallGroup> allowed,
                            std::span<const int> refused, SeccompMode mode,
                            bool keep_exec_privileges) {
  if (mode == SeccompMode::kOff) return absl::OkStatus();
  if (mode == SeccompMode::kTrap) {
    struct sigaction action {};
    action.sa_sigaction = OnForbiddenSyscall;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &action, nullptr);
  }
  scmp_filter_ctx filter = seccomp_init(
      mode == SeccompMode::kTrap ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS);
  if (filter == nullptr) return absl::InternalError("seccomp_init failed");
  int err = keep_exec_privileges
                ? seccomp_attr_set(filter, SCMP_FLTATR_CTL_NNP, 0)
                : 0;
  // A negative number is a call this architecture does not have.
  for (const SyscallGroup& group : allowed) {
    for (int call : group.syscalls) {
      if (err == 0 && call >= 0)
        err = seccomp_rule_add(filter, SCMP_ACT_ALLOW, call, 0);
    }
  }
  for (int call : refused) {
    if (err == 0 && call >= 0)
      err = seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), call, 0);
  }
  if (err == 0) err = seccomp_load(filter);
  seccomp_release(filter);
  if (err != 0) {
    return absl::InternalError(
        absl::StrCat("loading the seccomp filter: ", std::strerror(-err)));
  }
  return absl::OkStatus();
}

}  // namespace vigil
