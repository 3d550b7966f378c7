#pragma once

#include <string>
#include <vector>

#include "netagent/packed_instances.h"
#include "proto/config.pb.h"

namespace vigil::agent {

// Some of the configured instances (those whose VIPs are set, those a
// restarted brain has yet to resume), as a bit per instance of a
// PackedInstances. As a std::set of names, a takeover of 1,000 instances
// allocated a node each between the takeover's short-lived buffers, and
// those nodes kept ~120 otherwise free heap pages (0.5 MB) resident.
// Runs in: netagent.
class InstanceSet {
 public:
  explicit InstanceSet(const PackedInstances& instances);  // empty
  // Those of `names` that `instances` holds: the same set after a reload.
  InstanceSet(const PackedInstances& instances,
              const std::vector<std::string>& names);

  void Insert(const std::string& name);  // an unknown name is ignored
  void Erase(const std::string& name);
  void Clear();
  bool empty() const { return count_ == 0; }
  std::vector<config::VrrpInstance> Decoded() const;  // in config order
  std::vector<std::string> Names() const;             // likewise

 private:
  const PackedInstances* instances_;
  std::vector<bool> members_;  // by index in instances_
  size_t count_ = 0;
};

}  // namespace vigil::agent
