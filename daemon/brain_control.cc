// What the brain tells vigilctl (through ControlServer): status, counters,
// demotion, reload requests, and the stream of transitions.

#include <sys/time.h>

#include <chrono>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/ip_address.h"
#include "common/log.h"
#include "common/managed_addresses.h"
#include "common/status_macros.h"
#include "daemon/brain.h"
#include "daemon/metrics.h"

namespace vigil::brain {
namespace {

// The agent keeps each VIP as written; the brain gets the address and
// prefix, shown as `ip address` would (a host prefix left out).
std::string VipText(const config::VirtualAddress& vip) {
  if (!vip.text().empty()) return vip.text();
  std::optional<IpAddress> address = IpAddress::FromBytes(vip.address());
  if (!address) return "?";
  uint32_t host_prefix = vip.address().size() * 8;
  if (vip.prefix_len() == 0 || vip.prefix_len() == host_prefix)
    return address->ToString();
  return absl::StrCat(address->ToString(), "/", vip.prefix_len());
}

// The config of the i-th instance: instances_ is in config order.
const config::VrrpInstance& ConfigOf(const config::Config& running, size_t i,
                                     const std::string& name) {
  int index = static_cast<int>(i);
  if (index < running.instances_size() &&
      running.instances(index).name() == name) {
    return running.instances(index);
  }
  for (const config::VrrpInstance& c : running.instances())
    if (c.name() == name) return c;
  return config::VrrpInstance::default_instance();
}

}  // namespace

absl::Status Brain::StartControl(UniqueFd listener, gid_t control_gid) {
  control_ = std::make_unique<ControlServer>(loop_, std::move(listener),
                                             control_gid, this);
  return control_->Start();
}

absl::Status Brain::StartMetricsHttp(UniqueFd listener) {
  metrics_http_ = std::make_unique<MetricsHttp>(
      loop_, std::move(listener),
      [this] { return RenderMetrics(GetStatus(), GetStats()); });
  return metrics_http_->Start();
}

control::Status Brain::GetStatus() const {
  control::Status status;
  TimePoint now = clock_->Now();
  const config::Config running = RunningConfig();
  for (size_t i = 0; i < instances_.size(); ++i) {
    const Instance* instance = instances_[i].get();
    const config::VrrpInstance& c = ConfigOf(running, i, instance->name());
    control::InstanceStatus* out = status.add_instances();
    out->set_name(instance->name());
    out->set_state(std::string(StateName(instance->state())));
    out->set_base_priority(c.priority());
    out->set_effective_priority(instance->priority());
    out->set_demoted(instance->demoted());
    for (const Tracking::Contribution& t :
         instance->tracking().Contributions()) {
      control::TrackerStatus* tracker = out->add_trackers();
      tracker->set_kind(t.kind);
      tracker->set_name(t.name);
      tracker->set_state(t.state);
      tracker->set_contribution(t.contribution);
      tracker->set_fault(t.fault);
    }
    for (const config::VirtualAddress* vip : ManagedAddresses(c))
      out->add_vips(VipText(*vip));
    out->set_interface(c.interface());
    out->set_version(c.version());
    if (const std::optional<IpAddress>& master = instance->master_address())
      out->set_master_address(master->ToString());
    if (instance->state() != State::kInit) {
      out->set_seconds_in_state(
          std::chrono::duration<double>(now - instance->state_since()).count());
    }
    out->set_advert_interval_ms(c.advert_int_cs() * 10);
    out->set_sync_group(c.sync_group());
  }
  return status;
}

control::Stats Brain::GetStats() const {
  control::Stats stats;
  for (const auto& instance : instances_) {
    auto it = by_name_.find(instance->name());
    control::InstanceStats* out = stats.add_instances();
    if (it != by_name_.end()) *out = it->second.counters;
    out->set_name(instance->name());
  }
  for (size_t r = 1; r < static_cast<size_t>(vrrp::DropReason::kCount); ++r) {
    auto reason = static_cast<vrrp::DropReason>(r);
    (*stats.mutable_drops())[std::string(vrrp::DropReasonName(reason))] =
        receiver_.drops(reason);
  }
  for (size_t f = 0; f < static_cast<size_t>(vrrp::ChecksumForm::kCount); ++f) {
    auto form = static_cast<vrrp::ChecksumForm>(f);
    (*stats.mutable_checksum_forms())[std::string(
        vrrp::ChecksumFormName(form))] = receiver_.checksum_forms(form);
  }
  stats.set_address_list_mismatches(receiver_.address_mismatches());
  stats.set_interval_mismatches(receiver_.interval_mismatches());
  return stats;
}

absl::StatusOr<std::string> Brain::Demote(const std::string& name,
                                          bool demote) {
  for (auto& instance : instances_) {
    if (instance->name() != name) continue;
    bool was_master = instance->state() == State::kMaster;
    RETURN_IF_ERROR(instance->SetDemoted(demote));
    FinishEvent();
    if (!demote) return absl::StrCat(name, " undemoted");
    return absl::StrCat(name, " demoted to priority 1",
                        was_master ? "; it handed over as master" : "");
  }
  return absl::NotFoundError(
      absl::StrCat("no vrrp_instance named '", name.substr(0, 64), "'"));
}

// keepalived's signal dumps, which the agent writes out.
void Brain::SendDump() {
  ipc::BrainToAgent message;
  message.set_seq(next_seq_++);
  *message.mutable_dump()->mutable_status() = GetStatus();
  *message.mutable_dump()->mutable_stats() = GetStats();
  if (absl::Status s = agent_.Send(message); !s.ok())
    LOG_ERROR("dump not sent: %s", s.ToString());
}

absl::Status Brain::RequestReload() {
  ipc::BrainToAgent request;
  request.set_seq(next_seq_++);
  request.mutable_reload();
  return agent_.Send(request);
}

// Counters, and the transition for `vigilctl watch`.
void Brain::CountTransition(const Instance& instance, State from, State to,
                            absl::string_view reason) {
  summary_due_ = true;
  control::InstanceStats& counters = by_name_[instance.name()].counters;
  counters.set_transitions(counters.transitions() + 1);
  if (to == State::kMaster)
    counters.set_became_master(counters.became_master() + 1);
  if (!control_ || !control_->HasWatchers()) return;
  control::Transition transition;
  transition.set_seq(++transition_seq_);
  transition.set_instance(instance.name());
  transition.set_from(std::string(StateName(from)));
  transition.set_to(std::string(StateName(to)));
  transition.set_reason(std::string(reason));
  transition.set_priority(instance.priority());
  timeval tv;
  gettimeofday(&tv, nullptr);
  transition.set_unix_time_ms(int64_t{tv.tv_sec} * 1000 + tv.tv_usec / 1000);
  control_->Broadcast(transition);
}

}  // namespace vigil::brain

namespace vigil::brain {

// For systemd's STATUS= line: each instance's state while there are few,
// counts per state beyond that. Sent to the agent when it changes.
void Brain::ReportSummary() {
  if (!summary_due_) return;  // no transition since the last one
  summary_due_ = false;
  std::map<std::string, int> counts;
  std::string each;
  bool all_started = true;
  for (const auto& instance : instances_) {
    std::string state(StateName(instance->state()));
    ++counts[state];
    all_started = all_started && instance->state() != State::kInit;
    absl::StrAppend(&each, each.empty() ? "" : ", ", instance->name(), " ",
                    state);
  }
  std::string line = each;
  if (instances_.size() > 4) {
    line = absl::StrCat(instances_.size(), " instances:");
    for (const auto& [state, n] : counts)
      absl::StrAppend(&line, " ", n, " ", state);
  }
  line = absl::StrCat(all_started ? "" : "starting; ", line);
  if (line == last_summary_) return;
  last_summary_ = line;
  ipc::BrainToAgent message;
  message.set_seq(next_seq_++);
  message.mutable_summary()->set_all_started(all_started);
  message.mutable_summary()->set_line(line);
  if (absl::Status s = agent_.Send(message); !s.ok())
    LOG_ERROR("summary for systemd not sent: %s", s.ToString());
}

}  // namespace vigil::brain
