#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace vigil::agent {

struct InterfaceInfo {
  std::string name;
  int ifindex = 0;
  std::array<uint8_t, 6> mac{};
  uint32_t primary_ipv4 = 0;  // network order; 0 when the interface has none
};

// Reads index, MAC and the primary (first) IPv4 address of an interface.
absl::StatusOr<InterfaceInfo> LookUpInterface(const std::string& name);

}  // namespace vigil::agent
