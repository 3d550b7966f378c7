#include "daemon/tracking.h"

#include <algorithm>

namespace vigil::brain {

Tracking::Tracking(const config::VrrpInstance& instance,
                   const config::Config& config)
    : base_priority_(static_cast<uint8_t>(instance.priority())) {
  for (const auto& track : instance.track_scripts()) {
    const config::VrrpScript* script = nullptr;
    for (const auto& s : config.scripts())
      if (s.name() == track.name()) script = &s;
    if (script == nullptr) continue;  // the config check refuses this
    int weight = track.has_weight() ? track.weight() : script->weight();
    // keepalived's scripts start up unless init_fail says otherwise.
    scripts_[track.name()] = Tracked{weight, !script->init_fail()};
  }
}

bool Tracking::SetScriptState(const std::string& script, bool up) {
  auto it = scripts_.find(script);
  if (it == scripts_.end() || it->second.up == up) return false;
  it->second.up = up;
  return true;
}

uint8_t Tracking::EffectivePriority() const {
  if (base_priority_ == 255) return 255;
  int priority = base_priority_;
  for (const auto& [name, tracked] : scripts_) {
    if (tracked.weight > 0 && tracked.up) priority += tracked.weight;
    if (tracked.weight < 0 && !tracked.up) priority += tracked.weight;
  }
  return static_cast<uint8_t>(std::clamp(priority, 1, 254));
}

bool Tracking::InFault() const { return !FaultReason().empty(); }

std::string Tracking::FaultReason() const {
  for (const auto& [name, tracked] : scripts_)
    if (tracked.weight == 0 && !tracked.up) return name;
  return "";
}

}  // namespace vigil::brain
