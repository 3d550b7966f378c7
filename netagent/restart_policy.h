#pragma once

#include <string>

#include "common/clock.h"

namespace vigil::agent {

// When to start a child again after it died. A crash after a stable run is
// restarted at once: the brain can then resume as master before any backup
// notices. Crashes in quick succession wait twice as long each time, and
// after kMaxQuickCrashes of them the agent gives up and stops cleanly, since
// a child that cannot stay up would only keep the VIPs flapping.
// Runs in: netagent. Input: the agent's own child bookkeeping.
class RestartPolicy {
 public:
  // A run at least this long ends a crash streak.
  static constexpr Duration kStableRun = std::chrono::seconds(3);
  static constexpr Duration kFirstDelay = std::chrono::milliseconds(500);
  static constexpr Duration kMaxDelay = std::chrono::seconds(8);
  static constexpr int kMaxQuickCrashes = 6;

  struct Decision {
    bool give_up = false;
    Duration delay{0};  // from the crash to the restart
  };

  // The child started at `started` has died at `now`.
  Decision OnCrash(TimePoint started, TimePoint now);

  // Crashes in the current streak, for messages.
  int streak() const { return streak_; }

 private:
  int streak_ = 0;
};

}  // namespace vigil::agent
