#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "daemon/instance.h"

namespace vigil::brain {

// vrrp_sync_group: members fail over together. A member in FAULT holds the
// others in FAULT; a member becoming MASTER or BACKUP takes the others along.
// Transitions are queued while the state machines run and applied afterwards
// (Settle), so no instance is changed from inside its own transition.
// Runs in: brain. Input: the instances' own transitions.
class SyncGroups {
 public:
  struct GroupChange {
    std::string group;
    State state;
    uint8_t priority;
  };

  // The instances, grouped by their config's sync_group (start and reload).
  void Assign(const std::vector<Instance*>& instances);
  void Transitioned(const Instance& instance, State to);
  // Applies queued transitions until the groups are consistent; returns each
  // group whose members now all share a new state (for group notify).
  std::vector<GroupChange> Settle();
  const std::map<std::string, std::vector<Instance*>>& groups() const {
    return members_;
  }

 private:
  void Apply(const Instance& instance, State to);
  std::string FaultOutside(const std::string& group,
                           const Instance* self) const;

  std::map<std::string, std::vector<Instance*>> members_;
  std::deque<std::pair<const Instance*, State>> queue_;
  std::map<std::string, State> reported_;
};

}  // namespace vigil::brain
