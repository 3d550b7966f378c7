#include "daemon/transmit_plan.h"

#include <algorithm>
#include <cstring>

namespace vigil::brain {

TransmitPlan PlanAdvert(const InstanceSpec& instance, uint8_t priority,
                        const IpAddress& source) {
  TransmitPlan plan;
  vrrp::Advert& advert = plan.advert;
  advert.version = instance.version;
  advert.vrid = instance.vrid;
  advert.priority = priority;
  advert.interval_cs = static_cast<uint16_t>(instance.advert_int_cs);
  size_t listed = std::min(instance.vips.size(), vrrp::kMaxAddresses);
  advert.addresses.assign(instance.vips.begin(),
                          instance.vips.begin() + static_cast<long>(listed));
  if (instance.auth_pass) {
    advert.auth_type = vrrp::kAuthPass;
    advert.auth_data = instance.auth_data;
  }
  for (const IpAddress& peer : instance.unicast_peers)
    plan.copies.push_back({source, peer, instance.unicast_ttl});
  if (plan.copies.empty()) {
    plan.copies.push_back({source,
                           instance.multicast_group.value_or(
                               vrrp::MulticastGroup(source.family())),
                           vrrp::kRequiredTtl});
  }
  return plan;
}

}  // namespace vigil::brain
