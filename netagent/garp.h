#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "common/unique_fd.h"
#include "netagent/interfaces.h"

namespace vigil::agent {

// Sends gratuitous ARPs (ARP requests with sender = target = the VIP, to the
// broadcast address) from a PF_PACKET socket opened once at start-up.
// Runs in: netagent. Input: addresses from the agent's own config only.
class GarpSender {
 public:
  static absl::StatusOr<GarpSender> Open();
  absl::Status Send(const InterfaceInfo& interface, uint32_t address);

 private:
  explicit GarpSender(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace vigil::agent
