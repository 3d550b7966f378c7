#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "netagent/packed_instances.h"
#include "proto/config.pb.h"
#include "proto/ipc.pb.h"

namespace vigil::agent {

// Decides whether a brain request may be applied, against the agent's own copy
// of the configuration. A request only names an instance; the addresses and
// the interface always come from this config, so a compromised brain can at
// most toggle configured VIPs on configured interfaces.
// Runs in: netagent. Input: brain requests (untrusted).
class RequestPolicy {
 public:
  // Follows `instances` as a reload replaces them.
  explicit RequestPolicy(const PackedInstances& instances)
      : instances_(instances) {}

  std::optional<config::VrrpInstance> Find(const std::string& name) const {
    return instances_.Find(name);
  }

  // The instance the request acts on, or an error naming what is wrong.
  absl::StatusOr<config::VrrpInstance> Check(
      const ipc::BrainToAgent& request) const;

 private:
  const PackedInstances& instances_;
};

}  // namespace vigil::agent
