#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "daemon/vrrp_packet.h"
#include "proto/config.pb.h"

namespace vigil::brain {

// What the brain's state machine, receive checks and advert encoder read of
// a vrrp_instance, decoded once. The protobuf message is 320 bytes however
// few of its fields are set, and each string and VIP in it is an allocation
// of its own: an instance with one VIP held ~0.6 kB as a message, ~0.2 kB
// as this. Only what the per-packet work reads is here; the rest stays in
// the brain's encoded copy of the config.
// Runs in: brain. Input: the agent's config (checked by the parser).
struct InstanceSpec {
  explicit InstanceSpec(const config::VrrpInstance& config);

  std::string name;
  std::string sync_group;  // empty: none
  // In config order, as the adverts list them (at most 255 go out).
  std::vector<IpAddress> vips;
  std::vector<IpAddress> unicast_peers;      // empty: multicast
  std::optional<IpAddress> multicast_group;  // unset: the RFC's
  std::optional<IpAddress> source_address;   // unset: the interface's
  std::array<uint8_t, vrrp::kAuthDataSize> auth_data{};  // v2 PASS, padded
  uint32_t advert_int_cs;
  uint32_t preempt_delay_ms;
  uint32_t startup_delay_ms;
  uint8_t vrid;
  uint8_t version;
  uint8_t unicast_ttl;
  bool auth_pass;  // v2 simple text password
  bool initial_master;
  bool nopreempt;
  bool rfc_preempt;
  bool check_unicast_src;
  bool skip_check_adv_addr;
  bool v3_checksum_as_v2;
};

}  // namespace vigil::brain
