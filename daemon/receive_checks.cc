#include "daemon/receive_checks.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace vigil::brain {

using vrrp::DropReason;

vrrp::DropReason CheckAdvertForInstance(const vrrp::Advert& advert,
                                        const vrrp::Envelope& envelope,
                                        const InstanceSpec& instance,
                                        uint8_t local_priority,
                                        const IpAddress& own_address) {
  // GTSM for unicast too: keepalived skips the check there, which lets an
  // off-link sender demote the master.
  if (envelope.ttl != vrrp::kRequiredTtl) return DropReason::kTtl;
  bool unicast = !instance.unicast_peers.empty();
  IpAddress group = instance.multicast_group.value_or(
      vrrp::MulticastGroup(envelope.source.family()));
  if (unicast ? envelope.destination != own_address
              : envelope.destination != group) {
    return DropReason::kDestination;
  }
  if (unicast && instance.check_unicast_src &&
      std::find(instance.unicast_peers.begin(), instance.unicast_peers.end(),
                envelope.source) == instance.unicast_peers.end()) {
    return DropReason::kUnicastSource;
  }
  if (advert.version != instance.version) return DropReason::kVersion;
  if (instance.version != 2) return DropReason::kNone;
  if (local_priority == 255) return DropReason::kOwner;
  if (advert.auth_type !=
      (instance.auth_pass ? vrrp::kAuthPass : vrrp::kAuthNone)) {
    return DropReason::kAuthType;
  }
  if (instance.auth_pass && instance.auth_data != advert.auth_data)
    return DropReason::kAuthPassword;
  if (advert.interval_cs != instance.advert_int_cs)
    return DropReason::kInterval;
  return DropReason::kNone;
}

}  // namespace vigil::brain
