#pragma once

#include <sys/resource.h>

#include "absl/status/status.h"

namespace vigil {

// Per-process resource limits, set at start-up (soft and hard alike, so the
// process cannot raise them again). Zero leaves a limit as inherited.
struct ResourceLimits {
  rlim_t open_files = 0;
  rlim_t processes = 0;   // per user: bounds a script's fork bomb
  rlim_t data_bytes = 0;  // heap and private mappings
};

// Applies `limits` and always disables core dumps: the agent and the brain
// hold VRRP passwords, and no process needs to leave files behind.
absl::Status ApplyResourceLimits(const ResourceLimits& limits);

// Gives the heap's free pages back to the kernel. Loading a config frees
// far more than it keeps (the parse, the copies in IPC messages), and
// malloc keeps what lies below memory still in use; called after start-up
// and each reload, it takes hundreds of kB per process off the resident
// (and proportional) size.
void ReturnFreeMemory();

// True when built with AddressSanitizer, whose shadow memory does not fit
// a data limit.
constexpr bool kAddressSanitizer =
#if defined(__SANITIZE_ADDRESS__)
    true;
#else
    false;
#endif

}  // namespace vigil
