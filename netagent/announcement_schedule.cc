#include "netagent/announcement_schedule.h"

#include <algorithm>

#include "common/instance_family.h"
#include "common/managed_addresses.h"

namespace vigil::agent {
namespace {

Duration Ms(uint32_t ms) { return Duration(int64_t{ms} * 1000); }

}  // namespace

void AnnouncementSchedule::Activate(const config::VrrpInstance& instance,
                                    TimePoint now) {
  Deactivate(instance.name());
  auto announced = std::make_shared<Announced>(Announced{
      instance.name(),
      {},
      instance.garp_master_repeat(),
      instance.garp_master_refresh_repeat(),
      instance.garp_master_refresh_ms(),
  });
  for (const config::VirtualAddress* vip : ManagedAddresses(instance)) {
    if (std::optional<IpAddress> address = IpAddress::FromBytes(vip->address()))
      announced->targets.push_back(
          {AddressInterface(instance, *vip), *address});
  }
  bursts_.push_back({now, announced, false});
  if (instance.garp_master_delay_ms() > 0) {
    bursts_.push_back(
        {now + Ms(instance.garp_master_delay_ms()), announced, false});
  }
  if (announced->refresh_ms > 0)
    bursts_.push_back({now + Ms(announced->refresh_ms), announced, true});
}

void AnnouncementSchedule::Deactivate(const std::string& instance) {
  auto named = [&](const auto& entry) {
    return entry.instance->name == instance;
  };
  std::erase_if(bursts_, named);
  for (auto& [lane, queue] : lanes_) std::erase_if(queue.packets, named);
}

std::vector<AnnouncementSchedule::Burst> AnnouncementSchedule::StartDueBursts(
    TimePoint now) {
  std::vector<Burst> started;
  std::vector<Pending> due;
  std::erase_if(bursts_, [&](const Pending& b) {
    if (b.due > now) return false;
    due.push_back(b);
    return true;
  });
  for (const Pending& burst : due) {
    Expand(burst, now);
    const Announced& instance = *burst.instance;
    started.push_back(
        {instance.name, static_cast<int>(burst.refresh ? instance.refresh_repeat
                                                       : instance.repeat)});
    if (burst.refresh)
      bursts_.push_back({now + Ms(instance.refresh_ms), burst.instance, true});
  }
  return started;
}

void AnnouncementSchedule::Expand(const Pending& burst, TimePoint now) {
  const Announced& instance = *burst.instance;
  uint32_t repeat = burst.refresh ? instance.refresh_repeat : instance.repeat;
  for (uint32_t i = 0; i < repeat; ++i) {
    for (uint32_t t = 0; t < instance.targets.size(); ++t) {
      const Announced::Target& target = instance.targets[t];
      LaneQueue& lane = lanes_[{target.interface, target.address.family()}];
      TimePoint due = std::max(now, lane.next_free);
      lane.next_free = due + Gap(target.address);
      lane.packets.push_back({due, burst.instance, t});
    }
  }
}

Duration AnnouncementSchedule::Gap(const IpAddress& address) const {
  return Duration(address.is_v6() ? global_.gna_interval_us()
                                  : global_.garp_interval_us());
}

// Lane by lane: the order between interfaces does not matter to anyone, the
// spacing within one does.
std::vector<AnnouncementSchedule::Packet> AnnouncementSchedule::TakeDuePackets(
    TimePoint now) {
  std::vector<Packet> due;
  for (auto& [lane, queue] : lanes_) {
    while (!queue.packets.empty() && queue.packets.front().due <= now) {
      const Queued& q = queue.packets.front();
      const Announced::Target& target = q.instance->targets[q.target];
      due.push_back(
          {q.due, q.instance->name, target.interface, target.address});
      queue.packets.pop_front();
    }
  }
  return due;
}

std::optional<TimePoint> AnnouncementSchedule::NextDue() const {
  std::optional<TimePoint> next;
  for (const auto& [lane, queue] : lanes_) {
    if (!queue.packets.empty() && (!next || queue.packets.front().due < *next))
      next = queue.packets.front().due;
  }
  for (const Pending& b : bursts_)
    if (!next || b.due < *next) next = b.due;
  return next;
}

}  // namespace vigil::agent
