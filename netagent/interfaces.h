#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "common/ip_address.h"

namespace vigil::agent {

struct InterfaceInfo {
  std::string name;
  int ifindex = 0;
  std::array<uint8_t, 6> mac{};
  std::optional<IpAddress> primary_ipv4;  // the first IPv4 address
  std::optional<IpAddress> link_local;    // the first fe80::/10 address
};

// Reads index, MAC, the primary IPv4 and the first link-local IPv6 address of
// an interface, skipping `vips` (a VIP left by a crash must never become the
// source of our adverts).
absl::StatusOr<InterfaceInfo> LookUpInterface(const std::string& name,
                                              const std::set<IpAddress>& vips);

}  // namespace vigil::agent
