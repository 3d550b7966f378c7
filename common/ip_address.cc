#include "common/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace vigil {

IpAddress IpAddress::V4(uint32_t network_order) {
  IpAddress a;
  a.size_ = 4;
  std::memcpy(a.bytes_.data(), &network_order, 4);
  return a;
}

std::optional<IpAddress> IpAddress::FromBytes(absl::string_view bytes) {
  if (bytes.size() != 4 && bytes.size() != 16) return std::nullopt;
  IpAddress a;
  a.size_ = static_cast<uint8_t>(bytes.size());
  std::memcpy(a.bytes_.data(), bytes.data(), bytes.size());
  return a;
}

std::optional<IpAddress> IpAddress::Parse(absl::string_view text) {
  std::string copy(text);
  IpAddress a;
  if (inet_pton(AF_INET, copy.c_str(), a.bytes_.data()) == 1) {
    a.size_ = 4;
    return a;
  }
  if (inet_pton(AF_INET6, copy.c_str(), a.bytes_.data()) == 1) {
    a.size_ = 16;
    return a;
  }
  return std::nullopt;
}

uint32_t IpAddress::v4() const {
  if (size_ != 4) return 0;
  uint32_t out;
  std::memcpy(&out, bytes_.data(), 4);
  return out;
}

bool IpAddress::is_link_local() const {
  return size_ == 16 && bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80;
}

std::string IpAddress::ToString() const {
  if (size_ == 0) return "(none)";
  char text[INET6_ADDRSTRLEN];
  inet_ntop(family(), bytes_.data(), text, sizeof text);
  return text;
}

}  // namespace vigil
