#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "proto/config.pb.h"

namespace vigil::brain {

// What the brain last heard about every tracker: scripts from the checker,
// interfaces from the agent. New and reconfigured instances start from it.
struct TrackerStates {
  std::map<std::string, bool> scripts;
  std::map<std::string, bool> interfaces;
  std::map<std::string, int64_t> files;
};

// Tracker results and weights to an effective priority, as keepalived
// computes it: a positive weight adds while the tracker is up, a negative one
// subtracts while it is down, weight 0 means FAULT while down; `reverse`
// swaps up and down. The result is clamped to 1..254; an address owner (255)
// ignores weights. The instance's own interface is tracked with weight 0, as
// keepalived does: a VRRP interface without link is a FAULT.
// Runs in: brain. Input: check results from the checker, link states from
// the agent.
class Tracking {
 public:
  Tracking(const config::VrrpInstance& instance, const config::Config& config);

  // Each returns true if the tracker is here and its state changed.
  bool SetScriptState(const std::string& script, bool up);
  bool SetInterfaceState(const std::string& interface, bool up);
  bool SetFileValue(const std::string& file, int64_t value);
  void Apply(const TrackerStates& states);

  // Kept up to date by every change: each advert asks for it.
  uint8_t EffectivePriority() const { return effective_; }

  // Each tracker's state and part in the priority, for vigilctl status.
  struct Contribution {
    const char* kind;  // script, interface, file
    std::string name;
    std::string state;  // up, down, or the file's value
    int contribution;
    bool fault;
  };
  std::vector<Contribution> Contributions() const;
  bool InFault() const { return !FaultReason().empty(); }
  // "tracked script chk is down", for messages; empty when not in fault.
  std::string FaultReason() const;

 private:
  struct Tracked {
    int weight;
    bool reverse;
    bool up;
    // The state the weight looks at: reverse swaps up and down.
    bool counts_as_up() const { return up != reverse; }
  };
  static const char* Describe(const Tracked& t);
  static bool Set(std::map<std::string, Tracked>& trackers,
                  const std::string& name, bool up);

  // track_file: the file's number times the weight (negated by reverse) is
  // added; with weight 0 a non-zero number means FAULT, and so does a total
  // below -253.
  struct TrackedFile {
    int weight;
    bool reverse;
    int64_t value = 0;
    int64_t contribution() const { return value * weight * (reverse ? -1 : 1); }
  };

  uint8_t ComputePriority() const;

  uint8_t base_priority_;
  uint8_t effective_;
  std::map<std::string, Tracked> scripts_;
  std::map<std::string, Tracked> interfaces_;
  std::map<std::string, TrackedFile> files_;
};

}  // namespace vigil::brain
