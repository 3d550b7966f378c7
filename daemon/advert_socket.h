#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/ip_address.h"
#include "common/unique_fd.h"
#include "daemon/vrrp_packet.h"

namespace vigil::brain {

// A raw IPPROTO_VRRP socket that the agent opened for one interface and one
// family, joined to 224.0.0.18 or ff02::12, handed to the brain over
// SCM_RIGHTS. The brain cannot open such a socket itself.
// Runs in: brain. Input: raw datagrams from the network (hostile).
class AdvertSocket {
 public:
  // `primary` is the interface's primary IPv4 or link-local IPv6 address.
  AdvertSocket(UniqueFd fd, std::string interface, int ifindex,
               IpAddress primary);

  // One VRRP payload from `source` to `destination` (the multicast group or
  // a unicast peer) with this TTL or hop limit.
  struct Outgoing {
    std::span<const uint8_t> payload;
    IpAddress source;
    IpAddress destination;
    uint8_t ttl;
  };
  absl::Status Send(const Outgoing& datagram);
  // Many with one system call (sendmmsg) where the kernel takes them: the
  // masters of one wake-up cost one call. Returns each failure by index.
  std::vector<std::pair<size_t, absl::Status>> SendBatch(
      std::span<const Outgoing> batch);

  // For each waiting datagram: the IP-level verdict (kNone, or why the IP
  // header is unusable), the envelope and the VRRP payload.
  using Handler = std::function<void(vrrp::DropReason, const vrrp::Envelope&,
                                     std::span<const uint8_t>)>;
  void Drain(const Handler& handle);

  int fd() const { return fd_.get(); }
  int family() const { return primary_.family(); }
  const std::string& interface() const { return interface_; }
  const IpAddress& primary_address() const { return primary_; }

 private:
  void DrainIpv4(const Handler& handle);
  void DrainIpv6(const Handler& handle);

  UniqueFd fd_;
  std::string interface_;
  int ifindex_;
  IpAddress primary_;
  // Room for any datagram. Not zeroed: only the pages a datagram writes
  // become resident (zeroed, each socket's 64 kB were; 0.25 MB with four).
  static constexpr size_t kBufferSize = 65536;
  std::unique_ptr<uint8_t[]> buffer_;
};

}  // namespace vigil::brain
