#include "netagent/request_policy.h"

#include "absl/strings/str_cat.h"

namespace vigil::agent {

absl::StatusOr<config::VrrpInstance> RequestPolicy::Check(
    const ipc::BrainToAgent& request) const {
  if (!request.has_set_active()) {
    return absl::InvalidArgumentError(
        absl::StrCat("request ", request.seq(), " names no operation"));
  }
  const std::string& name = request.set_active().instance();
  if (std::optional<config::VrrpInstance> instance = Find(name))
    return *std::move(instance);
  // Bounded, so a hostile name cannot flood the log line.
  return absl::PermissionDeniedError(absl::StrCat("request ", request.seq(),
                                                  " names unknown instance '",
                                                  name.substr(0, 64), "'"));
}

}  // namespace vigil::agent
