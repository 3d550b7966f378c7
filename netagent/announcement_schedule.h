#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/ip_address.h"
#include "proto/config.pb.h"

namespace vigil::agent {

// When to send which gratuitous ARP / unsolicited NA, as keepalived does:
// a burst of garp_master_repeat per VIP on activation, another after
// garp_master_delay, garp_master_refresh_repeat every garp_master_refresh
// while active; on each interface the packets are spaced by
// vrrp_garp_interval (IPv4) or vrrp_gna_interval (IPv6). Pure logic on a
// clock the caller passes in; the agent sends what TakeDue returns.
// Runs in: netagent. Input: the agent's own config.
class AnnouncementSchedule {
 public:
  struct Packet {
    TimePoint due;
    std::string instance;
    std::string interface;
    IpAddress address;
  };
  struct Burst {
    std::string instance;
    int count;  // packets per VIP
  };

  explicit AnnouncementSchedule(const config::GlobalDefs& global)
      : global_(global) {}
  // After a reload: the new spacing applies to packets not yet planned.
  void SetGlobal(const config::GlobalDefs& global) { global_ = global; }

  void Activate(const config::VrrpInstance& instance, TimePoint now);
  void Deactivate(const std::string& instance);

  // Bursts that started at `now` (for the log) and packets due by `now`.
  std::vector<Burst> StartDueBursts(TimePoint now);
  std::vector<Packet> TakeDuePackets(TimePoint now);
  std::optional<TimePoint> NextDue() const;

 private:
  // A copy of the instance: a reload may replace the config meanwhile.
  struct Pending {
    TimePoint due;
    std::shared_ptr<const config::VrrpInstance> instance;
    bool refresh;
  };
  void Expand(const Pending& burst, TimePoint now);
  Duration Gap(const IpAddress& address) const;

  config::GlobalDefs global_;
  std::vector<Pending> bursts_;
  std::deque<Packet> packets_;  // in due order per interface
  std::map<std::pair<std::string, int>, TimePoint>
      next_free_;  // (interface, family)
};

}  // namespace vigil::agent
