#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "netagent/route_socket.h"

namespace vigil::agent {

// The virtual router's MAC (RFC 5798 7.3): 00:00:5e:00:01:VRID for IPv4,
// 00:00:5e:00:02:VRID for IPv6.
std::array<uint8_t, 6> VirtualRouterMac(uint8_t vrid, bool ipv6);

// use_vmac: creates `name`, a macvlan in private mode on `base` with the
// virtual router's MAC, and brings it up. A link left with that name by an
// earlier run is replaced. The base interface is set to answer ARP only for
// its own addresses (arp_ignore=1, arp_filter=1), so the VIPs on the VMAC are
// answered from the VMAC's MAC alone, as keepalived does.
// Runs in: netagent (root, at start-up). Input: its config.
absl::Status CreateVmac(const RouteSocket& socket, const std::string& name,
                        const std::string& base, uint8_t vrid, bool ipv6);

// Removes a VMAC (and with it the addresses on it); absent is fine.
void DeleteVmac(const RouteSocket& socket, const std::string& name);

}  // namespace vigil::agent
