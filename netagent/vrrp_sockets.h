#pragma once

#include "absl/status/statusor.h"
#include "common/unique_fd.h"
#include "netagent/interfaces.h"

namespace vigil::agent {

// Opens the raw IPPROTO_VRRP socket for one interface, bound to it, joined to
// 224.0.0.18, sending with TTL 255 and no loopback. Needs CAP_NET_RAW; the
// brain receives the fd and can then use it without any capability.
absl::StatusOr<UniqueFd> OpenVrrpSocket(const InterfaceInfo& interface);

}  // namespace vigil::agent
