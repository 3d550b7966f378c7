#pragma once

#include <vector>

#include "common/instance_family.h"
#include "proto/config.pb.h"

namespace vigil {

// Every address an instance puts on its interface while master: the
// advertised VIPs, then virtual_ipaddress_excluded (not in adverts, and
// possibly of the other family).
inline std::vector<const config::VirtualAddress*> ManagedAddresses(
    const config::VrrpInstance& instance) {
  std::vector<const config::VirtualAddress*> all;
  for (const auto& vip : instance.vips()) all.push_back(&vip);
  for (const auto& vip : instance.excluded_vips()) all.push_back(&vip);
  return all;
}

// The interface one of them goes on: its own `dev`, else the instance's.
inline const std::string& AddressInterface(const config::VrrpInstance& instance,
                                           const config::VirtualAddress& vip) {
  return vip.dev().empty() ? VipInterface(instance) : vip.dev();
}

}  // namespace vigil
