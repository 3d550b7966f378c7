#pragma once

#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
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
  explicit RequestPolicy(const config::Config& config) : config_(config) {}

  const config::VrrpInstance* Find(const std::string& name) const;

  // The instance the request acts on, or an error naming what is wrong.
  absl::StatusOr<const config::VrrpInstance*> Check(
      const ipc::BrainToAgent& request) const;

 private:
  const config::VrrpInstance* Indexed(const std::string& name) const;
  void Reindex() const;

  const config::Config& config_;
  // Positions in config_ by name: every brain request and every lease
  // renewal looks an instance up (a scan cost ~1 us per advert at 255
  // instances).
  mutable std::unordered_map<std::string, int> index_;
};

}  // namespace vigil::agent
