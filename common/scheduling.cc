#include "common/scheduling.h"

#include <sched.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vigil {
namespace {

// A child it might start must not inherit real-time scheduling.
constexpr int kResetOnFork = SCHED_RESET_ON_FORK;
constexpr rlim_t kHardLimitMarginUs = 1'000'000;

}  // namespace

absl::Status ApplyScheduling(const Scheduling& scheduling) {
  if (scheduling.nice != 0 &&
      setpriority(PRIO_PROCESS, 0, scheduling.nice) != 0)
    return ErrnoStatus(errno, absl::StrCat("setpriority ", scheduling.nice));
  if (scheduling.realtime_priority == 0) return absl::OkStatus();
  if (scheduling.realtime_burst_us != 0) {
    struct rlimit limit = {scheduling.realtime_burst_us,
                           scheduling.realtime_burst_us + kHardLimitMarginUs};
    if (setrlimit(RLIMIT_RTTIME, &limit) != 0)
      return ErrnoStatus(errno, "setrlimit(RLIMIT_RTTIME)");
  }
  sched_param param{};
  param.sched_priority = scheduling.realtime_priority;
  if (sched_setscheduler(0, SCHED_RR | kResetOnFork, &param) != 0)
    return ErrnoStatus(errno, absl::StrCat("SCHED_RR priority ",
                                           scheduling.realtime_priority));
  return absl::OkStatus();
}

absl::Status LeaveRealtime() {
  sched_param param{};
  if (sched_setscheduler(0, SCHED_OTHER | kResetOnFork, &param) != 0)
    return ErrnoStatus(errno, "SCHED_OTHER");
  return absl::OkStatus();
}

std::string DescribeScheduling(const Scheduling& scheduling) {
  if (scheduling.realtime_priority != 0)
    return absl::StrCat("SCHED_RR priority ", scheduling.realtime_priority);
  return absl::StrCat("normal scheduling (nice ", scheduling.nice, ")");
}

}  // namespace vigil
