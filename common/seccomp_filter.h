#pragma once

#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vigil {

// What a forbidden system call does: kill the process (the default), or
// (--seccomp=trap, for debugging) log the call's name and then exit, or
// nothing (--seccomp=off).
enum class SeccompMode { kKill, kTrap, kOff };

absl::StatusOr<SeccompMode> ParseSeccompMode(absl::string_view text);
const char* SeccompModeName(SeccompMode mode);

// System calls a process needs for one purpose, named so that the allowlist
// reads as a list of reasons.
struct SyscallGroup {
  const char* purpose;
  std::vector<int> syscalls;
};

// Loads an allowlist filter: the groups' calls pass, `refused` ones fail
// with EPERM (calls libc makes on its own, such as opening the time zone
// file, that must not kill us), everything else is handled as `mode` says.
// Irreversible; load it last in start-up. It sets no_new_privs unless
// `keep_exec_privileges` (the agent, whose children start as root and need
// their capabilities to switch users): that needs CAP_SYS_ADMIN instead.
absl::Status InstallSeccomp(std::span<const SyscallGroup> allowed,
                            std::span<const int> refused, SeccompMode mode,
                            bool keep_exec_privileges = false);

}  // namespace vigil
