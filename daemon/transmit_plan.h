#pragma once

#include <vector>

#include "common/ip_address.h"
#include "daemon/instance_spec.h"
#include "daemon/vrrp_packet.h"

namespace vigil::brain {

// One advert of an instance and every copy of it to send: to the multicast
// group with TTL 255 (TX-1, TX-2), or to each unicast peer with unicast_ttl;
// always from the instance's own address (TX-2), listing at most 255 VIPs in
// configured order (TX-6), with PASS data for v2 (TX-4).
struct TransmitPlan {
  vrrp::Advert advert;
  std::vector<vrrp::Envelope> copies;  // source, destination, TTL
};

TransmitPlan PlanAdvert(const InstanceSpec& instance, uint8_t priority,
                        const IpAddress& source);

}  // namespace vigil::brain
