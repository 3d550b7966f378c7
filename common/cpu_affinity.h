#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vigil {

// CPU numbers, sorted, each once.
using CpuSet = std::vector<int>;

// Which CPUs each vigil process runs on; an empty set leaves a process on
// the CPUs it inherits.
struct CpuPlan {
  CpuSet brain;
  CpuSet agent;  // vigild itself (the launcher keeps what vigild had)
  CpuSet checker;
  CpuSet scripts;  // with a checker placed: every CPU vigild was allowed
  // Configured CPUs this process may not use.
  std::vector<std::string> problems;
};

// What global_defs asks: vrrp_cpu_affinity, checker_cpu_affinity (each
// empty when not given), and whether vigil's own default applies
// (vrrp_no_cpu_affinity turns it off).
struct CpuRequest {
  CpuSet vrrp;
  CpuSet checker;
  bool separate = true;

  bool operator==(const CpuRequest&) const = default;
};

// The plan for a vigild allowed to run on `allowed` (ascending, as
// AllowedCpus gives it; the request's lists may be in any order). Without
// vrrp_cpu_affinity the VRRP process runs on the last allowed CPU, when
// there are two or more; with it, on the CPUs named. Either way vigild and
// the checker keep off the VRRP process's CPUs while others remain: part of
// the kernel's work on each address added or removed runs without
// preemption (a walk of the interface's addresses: milliseconds with 10,000
// IPv6 addresses), and an advert due on that CPU would wait for it.
CpuPlan PlanCpus(const CpuSet& allowed, const CpuRequest& request);

// The CPUs the calling process may run on.
absl::StatusOr<CpuSet> AllowedCpus();

// Restricts the calling process (every thread it starts later too).
absl::Status RunOnCpus(const CpuSet& cpus);

// "0-3,6": the kernel's list format (cpuset, taskset -c).
std::string FormatCpus(const CpuSet& cpus);
// The inverse; nullopt for anything else.
std::optional<CpuSet> ParseCpus(absl::string_view text);

}  // namespace vigil
