#include "daemon/tracking.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace vigil::brain {
namespace {

constexpr int64_t kMaxFileValue = 1'000'000;

}  // namespace

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
    scripts_[track.name()] =
        Tracked{weight, track.reverse(), !script->init_fail()};
  }
  // Interfaces count as up until the agent says otherwise.
  interfaces_[instance.interface()] = Tracked{0, false, true};
  for (const auto& track : instance.track_interfaces())
    interfaces_[track.name()] = Tracked{track.weight(), track.reverse(), true};
  for (const auto& track : instance.track_files()) {
    for (const auto& file : config.track_files()) {
      if (file.name() != track.name()) continue;
      files_[track.name()] =
          TrackedFile{track.has_weight() ? track.weight() : file.weight(),
                      track.has_weight() ? track.reverse() : file.reverse()};
    }
  }
  effective_ = ComputePriority();
}

bool Tracking::SetFileValue(const std::string& file, int64_t value) {
  // Far beyond any priority, and small enough that value x weight cannot
  // overflow whatever the checker sends.
  value = std::clamp<int64_t>(value, -kMaxFileValue, kMaxFileValue);
  auto it = files_.find(file);
  if (it == files_.end() || it->second.value == value) return false;
  it->second.value = value;
  effective_ = ComputePriority();
  return true;
}

bool Tracking::Set(std::map<std::string, Tracked>& trackers,
                   const std::string& name, bool up) {
  auto it = trackers.find(name);
  if (it == trackers.end() || it->second.up == up) return false;
  it->second.up = up;
  return true;
}

bool Tracking::SetScriptState(const std::string& script, bool up) {
  if (!Set(scripts_, script, up)) return false;
  effective_ = ComputePriority();
  return true;
}

bool Tracking::SetInterfaceState(const std::string& interface, bool up) {
  if (!Set(interfaces_, interface, up)) return false;
  effective_ = ComputePriority();
  return true;
}

void Tracking::Apply(const TrackerStates& states) {
  for (const auto& [name, up] : states.scripts) SetScriptState(name, up);
  for (const auto& [name, up] : states.interfaces) SetInterfaceState(name, up);
  for (const auto& [name, value] : states.files) SetFileValue(name, value);
}

uint8_t Tracking::ComputePriority() const {
  if (base_priority_ == 255) return 255;
  int priority = base_priority_;
  for (const auto* trackers : {&scripts_, &interfaces_}) {
    for (const auto& [name, t] : *trackers) {
      if (t.weight > 0 && t.counts_as_up()) priority += t.weight;
      if (t.weight < 0 && !t.counts_as_up()) priority += t.weight;
    }
  }
  int64_t total = priority;
  for (const auto& [name, file] : files_) total += file.contribution();
  return static_cast<uint8_t>(std::clamp<int64_t>(total, 1, 254));
}

std::vector<Tracking::Contribution> Tracking::Contributions() const {
  std::vector<Contribution> out;
  bool owner = base_priority_ == 255;  // an owner ignores weights
  for (const auto& [kind, trackers] :
       {std::pair{"script", &scripts_}, std::pair{"interface", &interfaces_}}) {
    for (const auto& [name, t] : *trackers) {
      int part = 0;
      if (t.weight > 0 && t.counts_as_up()) part = t.weight;
      if (t.weight < 0 && !t.counts_as_up()) part = t.weight;
      out.push_back({kind, name, t.up ? "up" : "down", owner ? 0 : part,
                     t.weight == 0 && !t.counts_as_up()});
    }
  }
  for (const auto& [name, file] : files_) {
    bool fault = (file.weight == 0 && (file.value != 0) != file.reverse) ||
                 file.contribution() < -253;
    out.push_back({"file", name, absl::StrCat(file.value),
                   owner ? 0 : static_cast<int>(file.contribution()), fault});
  }
  return out;
}

const char* Tracking::Describe(const Tracked& t) {
  return t.reverse ? " is up (reverse)" : " is down";
}

std::string Tracking::FaultReason() const {
  for (const auto& [name, t] : scripts_)
    if (t.weight == 0 && !t.counts_as_up())
      return absl::StrCat("tracked script ", name, Describe(t));
  for (const auto& [name, t] : interfaces_)
    if (t.weight == 0 && !t.counts_as_up())
      return absl::StrCat("interface ", name, Describe(t));
  for (const auto& [name, file] : files_) {
    if (file.weight == 0 && (file.value != 0) != file.reverse)
      return absl::StrCat("tracked file ", name, " holds ", file.value);
    if (file.contribution() < -253) {
      return absl::StrCat("tracked file ", name, " holds ", file.value,
                          ", which takes ", file.contribution(),
                          " off the priority");
    }
  }
  return "";
}

}  // namespace vigil::brain
