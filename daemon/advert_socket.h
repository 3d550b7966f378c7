#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/unique_fd.h"

namespace vigil::brain {

// A raw IPPROTO_VRRP socket that the agent opened, bound to one interface and
// joined to 224.0.0.18, handed to the brain over SCM_RIGHTS. The brain cannot
// open such a socket itself.
// Runs in: brain. Input: raw datagrams from the network (hostile).
class AdvertSocket {
 public:
  AdvertSocket(UniqueFd fd, std::string interface, int ifindex, uint32_t primary_address);

  // Sends one VRRP payload from `source` to `destination` (the multicast
  // group or a unicast peer) with `ttl`, all in network order.
  absl::Status Send(std::span<const uint8_t> payload, uint32_t source, uint32_t destination,
                    uint8_t ttl);

  // Calls `handle` for each waiting datagram (IP header included), until none
  // is left.
  void Drain(const std::function<void(std::span<const uint8_t>)>& handle);

  int fd() const { return fd_.get(); }
  const std::string& interface() const { return interface_; }
  uint32_t primary_address() const { return primary_address_; }

 private:
  UniqueFd fd_;
  std::string interface_;
  int ifindex_;
  uint32_t primary_address_;
  std::vector<uint8_t> buffer_;
};

}  // namespace vigil::brain
