#pragma once

#include <vector>

#include "common/seccomp_filter.h"

namespace vigil::brain {

// The brain's seccomp allowlist, loaded once its sockets, timer and signal
// fd exist: it may only use what it already holds. No open, no exec, no new
// socket: a compromised brain can neither read nor reach anything new.
const std::vector<SyscallGroup>& BrainSyscalls();

// Calls libc may make on its own (the time zone file for log times, a
// reconnect to syslog): refused with EPERM instead of killing the brain.
const std::vector<int>& BrainRefusedSyscalls();

}  // namespace vigil::brain
