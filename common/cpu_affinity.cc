#include "common/cpu_affinity.h"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <iterator>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"

namespace vigil {
namespace {

CpuSet Normalized(CpuSet cpus) {
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return cpus;
}

CpuSet Difference(const CpuSet& a, const CpuSet& b) {
  CpuSet out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(),
                      std::back_inserter(out));
  return out;
}

CpuSet Intersection(const CpuSet& a, const CpuSet& b) {
  CpuSet out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(),
                        std::back_inserter(out));
  return out;
}

// The configured CPUs this process may use, with a problem for the others.
CpuSet Usable(const CpuSet& listed, const CpuSet& allowed,
              absl::string_view keyword, std::vector<std::string>* problems) {
  const CpuSet wanted = Normalized(listed);
  CpuSet usable = Intersection(wanted, allowed);
  if (usable.size() == wanted.size()) return usable;
  absl::StrAppend(&problems->emplace_back(), keyword, ": CPU ",
                  FormatCpus(Difference(wanted, allowed)),
                  " is not one vigild may use here (", FormatCpus(allowed), ")",
                  usable.empty() ? "; ignored" : "");
  return usable;
}

}  // namespace

CpuPlan PlanCpus(const CpuSet& allowed, const CpuRequest& request) {
  CpuPlan plan;
  if (!request.vrrp.empty()) {
    plan.brain =
        Usable(request.vrrp, allowed, "vrrp_cpu_affinity", &plan.problems);
  } else if (request.separate && allowed.size() >= 2) {
    plan.brain = {allowed.back()};
  }
  if (request.separate && !plan.brain.empty())
    plan.agent = Difference(allowed, plan.brain);
  plan.checker = plan.agent;
  if (!request.checker.empty()) {
    CpuSet usable = Usable(request.checker, allowed, "checker_cpu_affinity",
                           &plan.problems);
    if (!usable.empty()) plan.checker = usable;
  }
  if (!plan.checker.empty()) plan.scripts = allowed;
  return plan;
}

absl::StatusOr<CpuSet> AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0)
    return ErrnoStatus(errno, "sched_getaffinity");
  CpuSet cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

absl::Status RunOnCpus(const CpuSet& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) {
    if (cpu < 0 || cpu >= CPU_SETSIZE)
      return absl::InvalidArgumentError(absl::StrCat("no CPU ", cpu));
    CPU_SET(cpu, &set);
  }
  if (sched_setaffinity(0, sizeof(set), &set) != 0)
    return ErrnoStatus(errno,
                       absl::StrCat("sched_setaffinity ", FormatCpus(cpus)));
  return absl::OkStatus();
}

std::string FormatCpus(const CpuSet& cpus) {
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    size_t end = i;
    while (end + 1 < cpus.size() && cpus[end + 1] == cpus[end] + 1) ++end;
    absl::StrAppend(&out, out.empty() ? "" : ",", cpus[i]);
    if (end > i) absl::StrAppend(&out, "-", cpus[end]);
    i = end + 1;
  }
  return out;
}

std::optional<CpuSet> ParseCpus(absl::string_view text) {
  CpuSet cpus;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    std::pair<absl::string_view, absl::string_view> range =
        absl::StrSplit(part, absl::MaxSplits('-', 1));
    int first, last;
    if (!absl::SimpleAtoi(range.first, &first)) return std::nullopt;
    last = first;
    if (part.find('-') != absl::string_view::npos &&
        !absl::SimpleAtoi(range.second, &last))
      return std::nullopt;
    if (first < 0 || last < first || last >= CPU_SETSIZE) return std::nullopt;
    for (int cpu = first; cpu <= last; ++cpu) cpus.push_back(cpu);
  }
  return Normalized(std::move(cpus));
}

}  // namespace vigil
