#include "netagent/restart_policy.h"

#include <algorithm>

namespace vigil::agent {

RestartPolicy::Decision RestartPolicy::OnCrash(TimePoint started,
                                               TimePoint now) {
  if (now - started >= kStableRun) streak_ = 0;
  ++streak_;
  Decision decision;
  if (streak_ > kMaxQuickCrashes) {
    decision.give_up = true;
    return decision;
  }
  if (streak_ == 1) return decision;  // at once
  Duration delay = kFirstDelay;
  for (int i = 2; i < streak_ && delay < kMaxDelay; ++i) delay *= 2;
  decision.delay = std::min(delay, kMaxDelay);
  return decision;
}

}  // namespace vigil::agent
