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
  // What the schedule needs of an instance, copied when it is activated: a
  // reload may replace the config meanwhile. Shared by its pending bursts
  // and queued packets (a whole VrrpInstance per activation was most of the
  // agent's memory for a while after a takeover of 1,000 instances).
  struct Announced {
    std::string name;
    struct Target {
      std::string interface;
      IpAddress address;
    };
    std::vector<Target> targets;  // one per VIP
    uint32_t repeat;
    uint32_t refresh_repeat;
    uint32_t refresh_ms;
  };
  struct Pending {
    TimePoint due;
    std::shared_ptr<const Announced> instance;
    bool refresh;
  };
  struct Queued {
    TimePoint due;
    std::shared_ptr<const Announced> instance;
    uint32_t target;  // index into instance->targets
  };
  // Packets of one interface and family leave vrrp_garp_interval apart, so
  // each lane's queue is in due order as it is filled: no sorting.
  using Lane = std::pair<std::string, int>;  // (interface, family)
  struct LaneQueue {
    std::deque<Queued> packets;
    TimePoint next_free{};
  };

  void Expand(const Pending& burst, TimePoint now);
  Duration Gap(const IpAddress& address) const;

  config::GlobalDefs global_;
  std::vector<Pending> bursts_;
  std::map<Lane, LaneQueue> lanes_;
};

}  // namespace vigil::agent
