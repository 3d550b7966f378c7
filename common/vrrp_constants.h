#pragma once

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstdint>

#include "common/ip_address.h"

namespace vigil::vrrp {

// Wire constants shared by the agent (which opens the sockets) and the brain
// (which speaks the protocol).
constexpr uint8_t kIpProtoVrrp = 112;
constexpr uint32_t kMulticastGroup = 0xE0000012;  // 224.0.0.18, host order
constexpr uint8_t kRequiredTtl = 255;

// 224.0.0.18 or ff02::12.
inline IpAddress MulticastGroup(int family) {
  if (family == AF_INET6) return *IpAddress::Parse("ff02::12");
  return IpAddress::V4(htonl(kMulticastGroup));
}

}  // namespace vigil::vrrp
