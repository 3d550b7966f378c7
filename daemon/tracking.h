#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "proto/config.pb.h"

namespace vigil::brain {

// Tracked-script results and weights to an effective priority, as keepalived
// computes it: a positive weight adds while the script is up, a negative one
// subtracts while it is down, weight 0 means FAULT while down. The result is
// clamped to 1..254; an address owner (255) ignores weights.
// Runs in: brain. Input: check results from the checker.
class Tracking {
 public:
  Tracking(const config::VrrpInstance& instance, const config::Config& config);

  // Returns true if the script is tracked here and its state changed.
  bool SetScriptState(const std::string& script, bool up);

  uint8_t EffectivePriority() const;
  bool InFault() const;
  // The name of a weight-0 script that is down, for messages.
  std::string FaultReason() const;

 private:
  struct Tracked {
    int weight;
    bool up;
  };
  uint8_t base_priority_;
  std::map<std::string, Tracked> scripts_;
};

}  // namespace vigil::brain
