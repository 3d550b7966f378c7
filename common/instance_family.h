#pragma once

#include <sys/socket.h>

#include <string>

#include "proto/config.pb.h"

namespace vigil {

// An instance's address family is its VIPs' (the config checks that they
// agree): AF_INET6 when the first VIP is IPv6, else AF_INET.
inline int InstanceFamily(const config::VrrpInstance& instance) {
  return !instance.vips().empty() && instance.vips(0).address().size() == 16
             ? AF_INET6
             : AF_INET;
}

// Where the instance's VIPs, announcements and routes live: its VMAC with
// use_vmac, else its interface.
inline const std::string& VipInterface(const config::VrrpInstance& instance) {
  return instance.use_vmac() ? instance.vmac_name() : instance.interface();
}

// Where its adverts go out and come in: the VMAC unless vmac_xmit_base.
inline const std::string& AdvertInterface(
    const config::VrrpInstance& instance) {
  return instance.use_vmac() && !instance.vmac_xmit_base()
             ? instance.vmac_name()
             : instance.interface();
}

}  // namespace vigil
