#pragma once

#include <string>
#include <vector>

#include "proto/config.pb.h"

namespace vigil::conf {

// How one vrrp_instance differs between the running and the reloaded config,
// matched by name.
struct InstanceDiff {
  enum class Kind {
    kUnchanged,  // only its place in the file moved: keep everything
    kChanged,    // applied in place: state, VIPs and timers kept
    kReplaced,   // interface, VRID, version or family changed: stop, start
    kAdded,
    kRemoved,
  };
  std::string name;
  Kind kind;
  std::vector<std::string> fields;  // what changed, for the log
};

// In the order of `after`, then the removed instances.
std::vector<InstanceDiff> DiffInstances(const config::Config& before,
                                        const config::Config& after);

// One line for the log: "unchanged: A; changed: B (priority, vips); ...".
std::string DescribeDiff(const std::vector<InstanceDiff>& diff);

}  // namespace vigil::conf
