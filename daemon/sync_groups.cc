#include "daemon/sync_groups.h"

#include "absl/strings/str_cat.h"

namespace vigil::brain {
namespace {

// Members that follow each other could in theory chase forever if their
// peers disagree; this bounds one settling round.
constexpr int kMaxSteps = 1000;

}  // namespace

void SyncGroups::Assign(const std::vector<Instance*>& instances) {
  members_.clear();
  queue_.clear();
  for (Instance* instance : instances) {
    const std::string& group = instance->spec().sync_group;
    if (!group.empty()) members_[group].push_back(instance);
  }
  std::erase_if(reported_, [&](const auto& entry) {
    return !members_.count(entry.first);
  });
  // A member may already be in FAULT (a reload, a script down at start).
  for (const auto& [group, members] : members_)
    for (Instance* member : members)
      queue_.emplace_back(member, member->state());
}

void SyncGroups::Transitioned(const Instance& instance, State to) {
  if (!instance.spec().sync_group.empty()) queue_.emplace_back(&instance, to);
}

std::string SyncGroups::FaultOutside(const std::string& group,
                                     const Instance* self) const {
  for (const Instance* member : members_.at(group)) {
    if (member != self && member->OwnFault()) {
      return absl::StrCat("vrrp_sync_group ", group, ": ", member->name(),
                          " is in FAULT");
    }
  }
  return "";
}

void SyncGroups::Apply(const Instance& instance, State to) {
  const std::string& group = instance.spec().sync_group;
  auto it = members_.find(group);
  if (it == members_.end()) return;
  for (Instance* member : it->second)
    member->SetGroupFault(FaultOutside(group, member));
  if (to != State::kMaster && to != State::kBackup) return;
  std::string reason = absl::StrCat("vrrp_sync_group ", group, ": ",
                                    instance.name(), " is ", StateName(to));
  for (Instance* member : it->second)
    if (member != &instance) member->FollowGroup(to, reason);
}

std::vector<SyncGroups::GroupChange> SyncGroups::Settle() {
  for (int steps = 0; !queue_.empty() && steps < kMaxSteps; ++steps) {
    auto [instance, to] = queue_.front();
    queue_.pop_front();
    Apply(*instance, to);
  }
  queue_.clear();
  std::vector<GroupChange> changes;
  for (const auto& [group, members] : members_) {
    State shared = members.front()->state();
    bool same = true;
    for (const Instance* member : members) same &= member->state() == shared;
    if (!same || shared == State::kInit) continue;
    auto [it, inserted] = reported_.try_emplace(group, shared);
    if (!inserted && it->second == shared) continue;
    it->second = shared;
    changes.push_back({group, shared, members.front()->priority()});
  }
  return changes;
}

}  // namespace vigil::brain
