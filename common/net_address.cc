#include "common/net_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace vigil {

std::string FormatIpv4(uint32_t network_order) {
  char text[INET_ADDRSTRLEN];
  in_addr addr{network_order};
  inet_ntop(AF_INET, &addr, text, sizeof text);
  return text;
}

std::optional<uint32_t> ParseIpv4(absl::string_view text) {
  std::string copy(text);
  in_addr addr;
  if (inet_pton(AF_INET, copy.c_str(), &addr) != 1) return std::nullopt;
  return addr.s_addr;
}

std::string FormatAddressBytes(absl::string_view bytes) {
  char text[INET6_ADDRSTRLEN];
  if (bytes.size() == 4) {
    inet_ntop(AF_INET, bytes.data(), text, sizeof text);
  } else if (bytes.size() == 16) {
    inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  } else {
    return "?";
  }
  return text;
}

}  // namespace vigil
