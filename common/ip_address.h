#pragma once

#include <netinet/in.h>

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace vigil {

// An IPv4 or IPv6 address, bytes in network order. Ordering compares the
// family first, then the bytes as unsigned network-order numbers: exactly the
// VRRP tie-break on the primary address, for both families.
class IpAddress {
 public:
  IpAddress() = default;
  static IpAddress V4(uint32_t network_order);
  // 4 or 16 raw bytes; nullopt otherwise.
  static std::optional<IpAddress> FromBytes(absl::string_view bytes);
  static std::optional<IpAddress> Parse(absl::string_view text);

  int family() const { return size_ == 16 ? AF_INET6 : AF_INET; }
  bool is_v6() const { return size_ == 16; }
  bool valid() const { return size_ != 0; }
  size_t size() const { return size_; }
  const uint8_t* data() const { return bytes_.data(); }
  absl::string_view bytes() const {
    return absl::string_view(reinterpret_cast<const char*>(bytes_.data()),
                             size_);
  }
  uint32_t v4() const;         // network order; 0 for IPv6
  bool is_link_local() const;  // fe80::/10
  std::string ToString() const;

  auto operator<=>(const IpAddress&) const = default;

 private:
  uint8_t size_ = 0;
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace vigil
