#include "daemon/receive_checks.h"

#include <algorithm>
#include <cstring>

namespace vigil::brain {

using vrrp::DropReason;

vrrp::DropReason CheckAdvertForInstance(const vrrp::Advert& advert,
                                        const vrrp::Ipv4Envelope& envelope,
                                        const config::VrrpInstance& instance,
                                        uint8_t local_priority) {
  if (envelope.ttl != vrrp::kRequiredTtl) return DropReason::kTtl;
  if (advert.version != instance.version()) return DropReason::kVersion;
  if (instance.version() != 2) return DropReason::kNone;
  if (local_priority == 255) return DropReason::kOwner;
  bool want_pass = instance.auth_type() == config::VrrpInstance::AUTH_PASS;
  if (advert.auth_type != (want_pass ? vrrp::kAuthPass : vrrp::kAuthNone)) {
    return DropReason::kAuthType;
  }
  if (want_pass) {
    std::array<uint8_t, vrrp::kAuthDataSize> expected{};
    const std::string& pass = instance.auth_pass();
    std::memcpy(expected.data(), pass.data(), std::min(pass.size(), expected.size()));
    if (expected != advert.auth_data) return DropReason::kAuthPassword;
  }
  if (advert.interval_cs != instance.advert_int_cs()) return DropReason::kInterval;
  return DropReason::kNone;
}

}  // namespace vigil::brain
