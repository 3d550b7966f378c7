#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "proto/config.pb.h"

namespace vigil::agent {

// The agent's copy of every vrrp_instance, each kept encoded and decoded when
// it is needed: on a transition, a reload, a restart of a child. As protobuf
// objects one instance with one VIP took ~0.86 kB of heap, encoded ~0.13 kB
// (0.7 MB less at 1,000 instances); decoding one takes microseconds, and the
// per-second work (lease renewal, announcements) keeps its own copies.
// Runs in: netagent. Input: the agent's own config.
class PackedInstances {
 public:
  // Moves the instances out of `config`, which keeps everything else.
  explicit PackedInstances(config::Config& config);

  std::optional<config::VrrpInstance> Find(const std::string& name) const;
  std::optional<size_t> IndexOf(const std::string& name) const;
  config::VrrpInstance At(size_t index) const;    // index < size()
  std::vector<config::VrrpInstance> All() const;  // in config order
  // Adds a copy of each instance to `config`, in order.
  void AddTo(config::Config& config) const;
  size_t size() const { return encoded_.size(); }

 private:
  std::vector<std::string> encoded_;
  std::unordered_map<std::string, size_t> index_;  // by name
};

}  // namespace vigil::agent
