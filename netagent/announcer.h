#pragma once

#include <array>
#include <cstdint>

#include "absl/status/statusor.h"
#include "common/ip_address.h"
#include "common/unique_fd.h"
#include "netagent/interfaces.h"

namespace vigil::agent {

// The frames' payloads (the kernel adds the Ethernet header), exposed for
// tests: an ARP request and an IPv6 packet carrying the NA.
constexpr size_t kArpSize = 28;
constexpr size_t kNaSize = 40 + 32;  // IPv6 header + NA with one option
std::array<uint8_t, kArpSize> BuildGratuitousArp(
    const std::array<uint8_t, 6>& mac, const IpAddress& address);
std::array<uint8_t, kNaSize> BuildUnsolicitedNa(
    const std::array<uint8_t, 6>& mac, const IpAddress& address, bool router);

// Tells the link that a VIP has moved: gratuitous ARP for IPv4 (an ARP
// request with sender = target = the VIP, to broadcast), unsolicited
// Neighbour Advertisement for IPv6 (to ff02::1, O flag, R flag when the
// interface forwards, target link-layer address option). Frames are built
// here and sent from one PF_PACKET socket opened at start-up.
// Runs in: netagent. Input: addresses from the agent's own config only.
class Announcer {
 public:
  static absl::StatusOr<Announcer> Open();
  absl::Status Announce(const InterfaceInfo& interface,
                        const IpAddress& address);

 private:
  explicit Announcer(UniqueFd fd) : fd_(std::move(fd)) {}
  absl::Status SendFrame(const InterfaceInfo& interface, const uint8_t* frame,
                         size_t size, uint16_t ethertype,
                         const uint8_t* destination_mac);
  UniqueFd fd_;
};

}  // namespace vigil::agent
