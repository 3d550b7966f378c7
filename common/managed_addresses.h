#pragma once

#include <vector>

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

}  // namespace vigil
