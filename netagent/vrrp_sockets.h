#pragma once

#include <set>

#include "absl/status/statusor.h"
#include "common/ip_address.h"
#include "common/unique_fd.h"
#include "netagent/interfaces.h"

namespace vigil::agent {

// Opens the raw IPPROTO_VRRP socket for one interface and family, bound to
// the interface, joined to `groups` (224.0.0.18 or ff02::12 unless configured
// otherwise; none for unicast-only), sending with TTL/hop limit
// 255 and no loopback; IPv6 sockets report hop limit and destination. Needs
// CAP_NET_RAW; the brain receives the fd and uses it without any capability.
absl::StatusOr<UniqueFd> OpenVrrpSocket(const InterfaceInfo& interface,
                                        int family,
                                        const std::set<IpAddress>& groups);

}  // namespace vigil::agent
