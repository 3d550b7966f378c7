#pragma once

#include <sys/resource.h>

#include <string>

#include "absl/status/status.h"

namespace vigil {

// How a process is scheduled: global_defs vrrp_rt_priority, vrrp_priority
// and vrrp_rlimit_rttime for the VRRP process.
struct Scheduling {
  int realtime_priority = 0;  // SCHED_RR at this priority; 0: normal
  int nice = 0;               // when not real-time
  rlim_t realtime_burst_us = 0;
};

// Applies `scheduling` to the calling process. Needs CAP_SYS_NICE, so it is
// called before the process drops its privileges. The burst limit is
// RLIMIT_RTTIME: at the soft limit (real-time CPU used without sleeping) the
// kernel sends SIGXCPU, on which the process is to call LeaveRealtime; a
// second later, the hard limit kills a process that could not.
absl::Status ApplyScheduling(const Scheduling& scheduling);

// Back to normal scheduling (any process may lower its own policy).
absl::Status LeaveRealtime();

// "SCHED_RR priority 1", "normal (nice 0)".
std::string DescribeScheduling(const Scheduling& scheduling);

}  // namespace vigil
