#include "daemon/instance_spec.h"

#include <algorithm>
#include <cstring>

namespace vigil::brain {
namespace {

// The parser has checked every address; one that still does not decode is
// left out rather than trusted.
void AddDecoded(const std::string& bytes, std::vector<IpAddress>& to) {
  if (std::optional<IpAddress> address = IpAddress::FromBytes(bytes))
    to.push_back(*address);
}

}  // namespace

InstanceSpec::InstanceSpec(const config::VrrpInstance& config)
    : name(config.name()),
      sync_group(config.sync_group()),
      multicast_group(IpAddress::FromBytes(config.multicast_group())),
      source_address(IpAddress::FromBytes(config.source_address())),
      advert_int_cs(config.advert_int_cs()),
      preempt_delay_ms(config.preempt_delay_ms()),
      startup_delay_ms(config.startup_delay_ms()),
      vrid(static_cast<uint8_t>(config.vrid())),
      version(static_cast<uint8_t>(config.version())),
      unicast_ttl(static_cast<uint8_t>(config.unicast_ttl())),
      auth_pass(config.auth_type() == config::VrrpInstance::AUTH_PASS),
      initial_master(config.initial_state() ==
                     config::VrrpInstance::INITIAL_MASTER),
      nopreempt(config.nopreempt()),
      rfc_preempt(config.rfc_preempt()),
      check_unicast_src(config.check_unicast_src()),
      skip_check_adv_addr(config.skip_check_adv_addr()),
      v3_checksum_as_v2(config.v3_checksum_as_v2()) {
  const std::string& pass = config.auth_pass();
  std::memcpy(auth_data.data(), pass.data(),
              std::min(pass.size(), auth_data.size()));
  vips.reserve(static_cast<size_t>(config.vips_size()));
  for (const config::VirtualAddress& vip : config.vips())
    AddDecoded(vip.address(), vips);
  unicast_peers.reserve(static_cast<size_t>(config.unicast_peers_size()));
  for (const std::string& peer : config.unicast_peers())
    AddDecoded(peer, unicast_peers);
}

}  // namespace vigil::brain
