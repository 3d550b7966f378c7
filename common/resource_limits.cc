#include "common/resource_limits.h"

#include <malloc.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vigil {
namespace {

// Never above the inherited hard limit: an unprivileged process cannot raise
// it, and a lower one set by the administrator stands.
absl::Status SetLimit(int resource, const char* name, rlim_t value) {
  struct rlimit limit;
  if (getrlimit(resource, &limit) != 0)
    return ErrnoStatus(errno, absl::StrCat("getrlimit(", name, ")"));
  if (limit.rlim_max != RLIM_INFINITY && value > limit.rlim_max)
    value = limit.rlim_max;
  limit = {value, value};
  if (setrlimit(resource, &limit) != 0)
    return ErrnoStatus(errno, absl::StrCat("setrlimit(", name, ")"));
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyResourceLimits(const ResourceLimits& limits) {
  RETURN_IF_ERROR(SetLimit(RLIMIT_CORE, "RLIMIT_CORE", 0));
  if (limits.open_files != 0)
    RETURN_IF_ERROR(
        SetLimit(RLIMIT_NOFILE, "RLIMIT_NOFILE", limits.open_files));
  if (limits.processes != 0)
    RETURN_IF_ERROR(SetLimit(RLIMIT_NPROC, "RLIMIT_NPROC", limits.processes));
  if (limits.data_bytes != 0 && !kAddressSanitizer)
    RETURN_IF_ERROR(SetLimit(RLIMIT_DATA, "RLIMIT_DATA", limits.data_bytes));
  return absl::OkStatus();
}

void ReturnFreeMemory() { malloc_trim(0); }

}  // namespace vigil
