#include "daemon/transmit_plan.h"

#include <algorithm>
#include <cstring>

namespace vigil::brain {

TransmitPlan PlanAdvert(const config::VrrpInstance& instance, uint8_t priority,
                        const IpAddress& source) {
  TransmitPlan plan;
  vrrp::Advert& advert = plan.advert;
  advert.version = static_cast<uint8_t>(instance.version());
  advert.vrid = static_cast<uint8_t>(instance.vrid());
  advert.priority = priority;
  advert.interval_cs = static_cast<uint16_t>(instance.advert_int_cs());
  for (const auto& vip : instance.vips()) {
    if (advert.addresses.size() == vrrp::kMaxAddresses) break;
    if (std::optional<IpAddress> address =
            IpAddress::FromBytes(vip.address())) {
      advert.addresses.push_back(*address);
    }
  }
  if (instance.auth_type() == config::VrrpInstance::AUTH_PASS) {
    advert.auth_type = vrrp::kAuthPass;
    std::memcpy(advert.auth_data.data(), instance.auth_pass().data(),
                std::min(instance.auth_pass().size(), advert.auth_data.size()));
  }
  for (const std::string& peer : instance.unicast_peers()) {
    if (std::optional<IpAddress> address = IpAddress::FromBytes(peer)) {
      plan.copies.push_back(
          {source, *address, static_cast<uint8_t>(instance.unicast_ttl())});
    }
  }
  if (plan.copies.empty()) {
    std::optional<IpAddress> group =
        IpAddress::FromBytes(instance.multicast_group());
    plan.copies.push_back(
        {source, group ? *group : vrrp::MulticastGroup(source.family()),
         vrrp::kRequiredTtl});
  }
  return plan;
}

}  // namespace vigil::brain
