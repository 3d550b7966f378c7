#include "netagent/request_policy.h"

#include "absl/strings/str_cat.h"

namespace vigil::agent {

// The index is checked on every hit (the position must still hold that
// name) and rebuilt on a miss, so a config replaced by a reload can never
// make it answer wrong; an unknown name costs a rebuild, as a scan did.
const config::VrrpInstance* RequestPolicy::Find(const std::string& name) const {
  if (const config::VrrpInstance* found = Indexed(name)) return found;
  Reindex();
  return Indexed(name);
}

const config::VrrpInstance* RequestPolicy::Indexed(
    const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end() || it->second >= config_.instances_size())
    return nullptr;
  const config::VrrpInstance& instance = config_.instances(it->second);
  return instance.name() == name ? &instance : nullptr;
}

void RequestPolicy::Reindex() const {
  index_.clear();
  for (int i = 0; i < config_.instances_size(); ++i)
    index_.emplace(config_.instances(i).name(), i);
}

absl::StatusOr<const config::VrrpInstance*> RequestPolicy::Check(
    const ipc::BrainToAgent& request) const {
  if (!request.has_set_active()) {
    return absl::InvalidArgumentError(
        absl::StrCat("request ", request.seq(), " names no operation"));
  }
  const std::string& name = request.set_active().instance();
  if (const config::VrrpInstance* instance = Find(name)) return instance;
  // Bounded, so a hostile name cannot flood the log line.
  return absl::PermissionDeniedError(absl::StrCat("request ", request.seq(),
                                                  " names unknown instance '",
                                                  name.substr(0, 64), "'"));
}

}  // namespace vigil::agent
