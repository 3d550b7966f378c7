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
  auto copy = std::make_shared<const config::VrrpInstance>(instance);
  bursts_.push_back({now, copy, false});
  if (instance.garp_master_delay_ms() > 0) {
    bursts_.push_back({now + Ms(instance.garp_master_delay_ms()), copy, false});
  }
  if (instance.garp_master_refresh_ms() > 0) {
    bursts_.push_back(
        {now + Ms(instance.garp_master_refresh_ms()), copy, true});
  }
}

void AnnouncementSchedule::Deactivate(const std::string& instance) {
  std::erase_if(bursts_, [&](const Pending& b) {
    return b.instance->name() == instance;
  });
  std::erase_if(packets_,
                [&](const Packet& p) { return p.instance == instance; });
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
    const config::VrrpInstance& instance = *burst.instance;
    started.push_back(
        {instance.name(),
         static_cast<int>(burst.refresh ? instance.garp_master_refresh_repeat()
                                        : instance.garp_master_repeat())});
    if (burst.refresh) {
      bursts_.push_back(
          {now + Ms(instance.garp_master_refresh_ms()), burst.instance, true});
    }
  }
  return started;
}

void AnnouncementSchedule::Expand(const Pending& burst, TimePoint now) {
  const config::VrrpInstance& instance = *burst.instance;
  uint32_t repeat = burst.refresh ? instance.garp_master_refresh_repeat()
                                  : instance.garp_master_repeat();
  for (uint32_t i = 0; i < repeat; ++i) {
    for (const config::VirtualAddress* vip : ManagedAddresses(instance)) {
      std::optional<IpAddress> address = IpAddress::FromBytes(vip->address());
      if (!address) continue;
      const std::string& interface = AddressInterface(instance, *vip);
      TimePoint& free = next_free_[{interface, address->family()}];
      TimePoint due = std::max(now, free);
      free = due + Gap(*address);
      packets_.push_back({due, instance.name(), interface, *address});
    }
  }
  std::stable_sort(
      packets_.begin(), packets_.end(),
      [](const Packet& a, const Packet& b) { return a.due < b.due; });
}

Duration AnnouncementSchedule::Gap(const IpAddress& address) const {
  return Duration(address.is_v6() ? global_.gna_interval_us()
                                  : global_.garp_interval_us());
}

std::vector<AnnouncementSchedule::Packet> AnnouncementSchedule::TakeDuePackets(
    TimePoint now) {
  std::vector<Packet> due;
  while (!packets_.empty() && packets_.front().due <= now) {
    due.push_back(std::move(packets_.front()));
    packets_.pop_front();
  }
  return due;
}

std::optional<TimePoint> AnnouncementSchedule::NextDue() const {
  std::optional<TimePoint> next;
  if (!packets_.empty()) next = packets_.front().due;
  for (const Pending& b : bursts_)
    if (!next || b.due < *next) next = b.due;
  return next;
}

}  // namespace vigil::agent
