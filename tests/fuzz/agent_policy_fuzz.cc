// Feeds arbitrary bytes to the agent's request path as the brain would send
// them: parse as a BrainToAgent envelope, check with RequestPolicy. Asserts
// that an accepted request can only lead to addresses the agent's own config
// lists for that very instance, whatever the brain says.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "conf/loader.h"
#include "netagent/request_policy.h"

namespace {

const vigil::config::Config& TestConfig() {
  static const vigil::config::Config config = [] {
    vigil::conf::LoadResult r = vigil::conf::ParseConfigText(
        "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
        " virtual_ipaddress {\n  192.0.2.1\n }\n"
        " virtual_ipaddress_excluded {\n  2001:db8::1\n }\n}\n"
        "vrrp_instance B {\n interface eth1\n virtual_router_id 2\n"
        " virtual_ipaddress {\n  192.0.2.2 dev eth2\n }\n}\n",
        "fuzz.conf", "", /*allow_include=*/false);
    if (!r.ok()) std::abort();
    return r.config;
  }();
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const vigil::config::Config& config = TestConfig();
  vigil::ipc::BrainToAgent request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  vigil::config::Config own = config;
  vigil::agent::PackedInstances instances(own);
  vigil::agent::RequestPolicy policy(instances);
  absl::StatusOr<vigil::config::VrrpInstance> instance = policy.Check(request);
  if (!instance.ok()) return 0;
  // Accepted: it must be the configured instance the request names, whole
  // (so every address applied comes from the config's entry for it).
  if (instance->name() != request.set_active().instance()) std::abort();
  bool configured = false;
  for (const auto& c : config.instances()) {
    configured |= c.name() == instance->name() &&
                  c.SerializeAsString() == instance->SerializeAsString();
  }
  if (!configured) std::abort();
  return 0;
}
