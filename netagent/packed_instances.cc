#include "netagent/packed_instances.h"

namespace vigil::agent {

PackedInstances::PackedInstances(config::Config& config) {
  encoded_.reserve(static_cast<size_t>(config.instances_size()));
  for (const config::VrrpInstance& instance : config.instances()) {
    index_.emplace(instance.name(), encoded_.size());
    encoded_.push_back(instance.SerializeAsString());
  }
  // Not clear_instances(), which keeps the cleared messages for reuse.
  google::protobuf::RepeatedPtrField<config::VrrpInstance>().Swap(
      config.mutable_instances());
}

std::optional<config::VrrpInstance> PackedInstances::Find(
    const std::string& name) const {
  std::optional<size_t> index = IndexOf(name);
  if (!index) return std::nullopt;
  return At(*index);
}

std::optional<size_t> PackedInstances::IndexOf(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

config::VrrpInstance PackedInstances::At(size_t index) const {
  config::VrrpInstance instance;
  // It was encoded here, from a valid message: decoding cannot fail.
  instance.ParseFromString(encoded_[index]);
  return instance;
}

std::vector<config::VrrpInstance> PackedInstances::All() const {
  std::vector<config::VrrpInstance> all;
  all.reserve(encoded_.size());
  for (size_t i = 0; i < encoded_.size(); ++i) all.push_back(At(i));
  return all;
}

void PackedInstances::AddTo(config::Config& config) const {
  for (const std::string& encoded : encoded_)
    config.add_instances()->ParseFromString(encoded);
}

}  // namespace vigil::agent
