#pragma once

#include <cstdint>

namespace vigil::vrrp {

// Wire constants shared by the agent (which opens the sockets) and the brain
// (which speaks the protocol).
constexpr uint8_t kIpProtoVrrp = 112;
constexpr uint32_t kMulticastGroup = 0xE0000012;  // 224.0.0.18, host order
constexpr uint8_t kRequiredTtl = 255;

}  // namespace vigil::vrrp
