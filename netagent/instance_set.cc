#include "netagent/instance_set.h"

namespace vigil::agent {

InstanceSet::InstanceSet(const PackedInstances& instances)
    : instances_(&instances), members_(instances.size(), false) {}

InstanceSet::InstanceSet(const PackedInstances& instances,
                         const std::vector<std::string>& names)
    : InstanceSet(instances) {
  for (const std::string& name : names) Insert(name);
}

void InstanceSet::Insert(const std::string& name) {
  std::optional<size_t> index = instances_->IndexOf(name);
  if (!index || members_[*index]) return;
  members_[*index] = true;
  ++count_;
}

void InstanceSet::Erase(const std::string& name) {
  std::optional<size_t> index = instances_->IndexOf(name);
  if (!index || !members_[*index]) return;
  members_[*index] = false;
  --count_;
}

void InstanceSet::Clear() {
  std::fill(members_.begin(), members_.end(), false);
  count_ = 0;
}

std::vector<config::VrrpInstance> InstanceSet::Decoded() const {
  std::vector<config::VrrpInstance> found;
  found.reserve(count_);
  for (size_t i = 0; i < members_.size(); ++i)
    if (members_[i]) found.push_back(instances_->At(i));
  return found;
}

std::vector<std::string> InstanceSet::Names() const {
  std::vector<std::string> names;
  names.reserve(count_);
  for (const config::VrrpInstance& instance : Decoded())
    names.push_back(instance.name());
  return names;
}

}  // namespace vigil::agent
