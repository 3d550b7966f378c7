// Feeds arbitrary bytes to the agent's request path as the brain would send
// them: parse as a BrainToAgent envelope, check with RequestPolicy. Asserts
// that an accepted request can only lead to addresses the agent's own config
// lists for that very instance, whatever the brain says.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "common/managed_addresses.h"
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
  vigil::agent::RequestPolicy policy(config);
  absl::StatusOr<const vigil::config::VrrpInstance*> instance =
      policy.Check(request);
  if (!instance.ok()) return 0;
  // Accepted: it must be the configured instance the request names, and
  // everything applied comes from the config's entry for it.
  const vigil::config::VrrpInstance& chosen = **instance;
  bool configured = false;
  for (const auto& c : config.instances()) configured |= &c == &chosen;
  if (!configured || chosen.name() != request.set_active().instance())
    std::abort();
  for (const vigil::config::VirtualAddress* vip :
       vigil::ManagedAddresses(chosen)) {
    bool listed = false;
    for (const auto& c : config.instances())
      for (const auto* own : vigil::ManagedAddresses(c))
        listed |= own == vip && c.name() == chosen.name();
    if (!listed) std::abort();
  }
  return 0;
}
