#pragma once

#include <sys/socket.h>

#include "proto/config.pb.h"

namespace vigil {

// An instance's address family is its VIPs' (the config checks that they
// agree): AF_INET6 when the first VIP is IPv6, else AF_INET.
inline int InstanceFamily(const config::VrrpInstance& instance) {
  return !instance.vips().empty() && instance.vips(0).address().size() == 16
             ? AF_INET6
             : AF_INET;
}

}  // namespace vigil
