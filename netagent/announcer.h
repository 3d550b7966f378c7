#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

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
// here and sent from one PF_PACKET socket opened at start-up, up to 256 per
// system call: a takeover of thousands of VIPs announces them all in a few
// milliseconds.
// Runs in: netagent. Input: addresses from the agent's own config only.
class Announcer {
 public:
  struct Announcement {
    const InterfaceInfo* interface;
    IpAddress address;
  };

  static absl::StatusOr<Announcer> Open();
  // Returns a line for each kind of failure (interface, family, errno).
  std::vector<std::string> Announce(std::span<const Announcement> batch);

 private:
  explicit Announcer(UniqueFd fd) : fd_(std::move(fd)) {}
  std::vector<std::string> SendChunk(std::span<const Announcement> chunk);
  UniqueFd fd_;
};

}  // namespace vigil::agent
