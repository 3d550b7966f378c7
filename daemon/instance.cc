#include "daemon/instance.h"

#include <arpa/inet.h>

#include "absl/strings/str_cat.h"
#include "common/managed_addresses.h"

namespace vigil::brain {
namespace {

// A hash, not a copy, of the VIPs' config: a copy cost ~0.1 kB an instance.
size_t VipsFingerprint(const config::VrrpInstance& config) {
  std::string all;
  for (const config::VirtualAddress* vip : ManagedAddresses(config)) {
    std::string one = vip->SerializeAsString();
    absl::StrAppend(&all, one.size(), ":", one);
  }
  return std::hash<std::string>{}(all);
}

}  // namespace

absl::string_view StateName(State state) {
  switch (state) {
    case State::kInit:
      return "INIT";
    case State::kBackup:
      return "BACKUP";
    case State::kMaster:
      return "MASTER";
    case State::kFault:
      return "FAULT";
  }
  return "?";
}

Instance::Instance(const config::VrrpInstance& config,
                   const config::Config& full_config, IpAddress own_address,
                   Clock* clock, InstanceActions* actions)
    : spec_(config),
      vips_fingerprint_(VipsFingerprint(config)),
      own_address_(own_address),
      clock_(clock),
      actions_(actions),
      tracking_(config, full_config),
      master_interval_cs_(config.advert_int_cs()) {}

Duration Instance::AdvertInterval() const {
  return Duration(int64_t{spec_.advert_int_cs} * 10'000);
}

Duration Instance::SkewTime() const {
  int64_t weight = 256 - priority();
  if (spec_.version == 2) return Duration(weight * 1'000'000 / 256);
  // ((256 - priority) x Master_Adver_Interval) / 256, dividing last so that
  // 10 ms intervals keep microsecond precision.
  return Duration(weight * int64_t{master_interval_cs_} * 10'000 / 256);
}

Duration Instance::MasterDownInterval() const {
  int64_t interval_cs =
      spec_.version == 2 ? spec_.advert_int_cs : master_interval_cs_;
  return Duration(3 * interval_cs * 10'000) + SkewTime();
}

void Instance::Start() {
  if (state_ != State::kInit) return;
  if (spec_.startup_delay_ms > 0 && !startup_delayed_) {
    // vrrp_startup_delay: let links and peers settle; OnTimer starts us.
    startup_delayed_ = true;
    deadline_ =
        clock_->Now() + Duration(int64_t{spec_.startup_delay_ms} * 1000);
    actions_->Notice(*this, absl::StrCat("vrrp_startup_delay: starting in ",
                                         spec_.startup_delay_ms, " ms"));
    return;
  }
  preempt_after_ =
      clock_->Now() + Duration(int64_t{spec_.preempt_delay_ms} * 1000);
  if (std::string cause = FaultCause(); !cause.empty()) {
    EnterFault(cause);
  } else if (priority() == 255) {
    BecomeMaster("address owner (priority 255)");
  } else if (spec_.initial_master) {
    // keepalived's start-up shortcut for `state MASTER`: wait one interval
    // (plus skew, so the higher priority wins a simultaneous start) instead of
    // a whole Master_Down_Interval.
    BecomeBackup(AdvertInterval() + SkewTime(), "start-up, state MASTER");
  } else {
    BecomeBackup(MasterDownInterval(), "start-up");
  }
}

void Instance::ResumeAsMaster() {
  if (state_ != State::kInit) return;
  if (!FaultCause().empty()) return Start();
  preempt_after_ =
      clock_->Now() + Duration(int64_t{spec_.preempt_delay_ms} * 1000);
  BecomeMaster("resumed after the VRRP process restarted");
}

void Instance::Shutdown() {
  if (state_ == State::kMaster) {
    Advertise(0);
    actions_->SetActive(*this, false);
  }
  deadline_.reset();
  ChangeState(State::kInit, "shutdown");
}

void Instance::OnAdvert(const vrrp::Advert& advert, const IpAddress& source,
                        Duration age) {
  switch (state_) {
    case State::kBackup:
      OnAdvertAsBackup(advert, source, clock_->Now() - age);
      break;
    case State::kMaster:
      OnAdvertAsMaster(advert, source);
      break;
    case State::kInit:
    case State::kFault:
      break;  // not listening
  }
}

// `heard`: when the kernel received the advert. The timers count from
// there, so the time the brain took to get to it is not added to them.
void Instance::OnAdvertAsBackup(const vrrp::Advert& advert,
                                const IpAddress& source, TimePoint heard) {
  if (advert.priority == 0) {
    // The master is leaving: take over after Skew_Time only.
    deadline_ = heard + SkewTime();
    takeover_reason_ = "master sent priority 0, Skew_Time passed";
    return;
  }
  // nopreempt, and preempt_delay after start, accept a lower-priority master.
  bool preempt = !spec_.nopreempt && clock_->Now() >= preempt_after_;
  if (!preempt || advert.priority >= priority()) {
    master_address_ = source;
    if (spec_.version == 3) master_interval_cs_ = advert.interval_cs;
    deadline_ = heard + MasterDownInterval();
    takeover_reason_ = "master down timer expired";
    return;
  }
  // A lower-priority master. RFC 5798 discards the advert, so the down
  // timer runs out and we preempt a Master_Down_Interval after its last
  // higher-priority advert. By default we preempt after Skew_Time instead:
  // the same outcome, sooner; the skew still lets the highest-priority
  // backup go first.
  takeover_reason_ = "preempting a lower-priority master";
  if (spec_.rfc_preempt) return;
  TimePoint soon = heard + SkewTime();
  if (!deadline_ || soon < *deadline_) deadline_ = soon;
}

void Instance::OnAdvertAsMaster(const vrrp::Advert& advert,
                                const IpAddress& source) {
  if (advert.priority == 0) {
    Advertise(priority());
    deadline_ = clock_->Now() + AdvertInterval();
    return;
  }
  // Equal priority: the greater address wins, compared as unsigned network-
  // order numbers (IpAddress orders that way for both families).
  bool higher = advert.priority > priority() ||
                (advert.priority == priority() && source > own_address_);
  if (advert.priority == 255 && priority() == 255) {
    // RFC 9568 erratum 8298: two owners elect by address instead of both
    // staying master.
    actions_->Notice(*this,
                     absl::StrCat("duplicate address owner ", source.ToString(),
                                  " (priority 255); electing by address"));
  }
  if (higher) {
    if (spec_.version == 3) master_interval_cs_ = advert.interval_cs;
    BecomeBackup(MasterDownInterval(),
                 absl::StrCat("higher priority advert from ", source.ToString(),
                              " (priority ", advert.priority, ")"));
    return;
  }
  // RFC 9568: a master hearing a lower priority re-asserts at once.
  Advertise(priority());
}

bool Instance::TimerDue(TimePoint now, Duration advert_slack) const {
  if (!deadline_) return false;
  if (state_ == State::kMaster)
    now += std::min(advert_slack, AdvertInterval() / 50);
  return now >= *deadline_;
}

void Instance::OnTimer(Duration advert_slack) {
  if (!TimerDue(clock_->Now(), advert_slack)) return;
  if (state_ == State::kInit) {
    deadline_.reset();
    Start();
  } else if (state_ == State::kBackup) {
    BecomeMaster(takeover_reason_);
  } else if (state_ == State::kMaster) {
    Advertise(priority());
    // Keep the schedule (no drift), unless we fell a whole interval behind.
    *deadline_ += AdvertInterval();
    if (*deadline_ <= clock_->Now())
      deadline_ = clock_->Now() + AdvertInterval();
  }
}

void Instance::SetScriptState(const std::string& script, bool up) {
  if (!tracking_.SetScriptState(script, up)) return;
  ApplyTracking();
}

void Instance::Reconfigure(const config::VrrpInstance& config,
                           const config::Config& full_config,
                           IpAddress own_address,
                           const TrackerStates& trackers) {
  size_t fingerprint = VipsFingerprint(config);
  bool vips_changed = fingerprint != vips_fingerprint_;
  spec_ = InstanceSpec(config);
  vips_fingerprint_ = fingerprint;
  own_address_ = own_address;
  tracking_ = Tracking(config, full_config);
  tracking_.Apply(trackers);
  // A v3 backup keeps the interval it learned from the master.
  if (state_ == State::kMaster || spec_.version == 2)
    master_interval_cs_ = spec_.advert_int_cs;
  if (state_ == State::kMaster && vips_changed)
    actions_->SetActive(*this, true);
  ApplyTracking();
}

std::string Instance::FaultCause() const {
  if (tracking_.InFault()) return tracking_.FaultReason();
  return group_fault_;
}

void Instance::SetInterfaceState(const std::string& interface, bool up) {
  if (!tracking_.SetInterfaceState(interface, up)) return;
  ApplyTracking();
}

void Instance::SetFileValue(const std::string& file, int64_t value) {
  if (!tracking_.SetFileValue(file, value)) return;
  ApplyTracking();
}

void Instance::SetGroupFault(const std::string& cause) {
  if (group_fault_ == cause) return;
  group_fault_ = cause;
  ApplyTracking();
}

void Instance::FollowGroup(State to, absl::string_view reason) {
  if (to == State::kMaster && state_ == State::kBackup) {
    BecomeMaster(reason);
  } else if (to == State::kBackup && state_ == State::kMaster) {
    BecomeBackup(MasterDownInterval(), reason);
  }
}

void Instance::ApplyTracking() {
  if (state_ == State::kInit) return;
  if (std::string cause = FaultCause(); !cause.empty()) {
    if (state_ != State::kFault) EnterFault(cause);
    return;
  }
  if (state_ == State::kFault) {
    preempt_after_ =
        clock_->Now() + Duration(int64_t{spec_.preempt_delay_ms} * 1000);
    BecomeBackup(MasterDownInterval(), "the fault has cleared");
    return;
  }
  // A master's changed priority goes out at once rather than with its next
  // advert, so a backup that may now preempt learns it up to an interval
  // sooner.
  if (state_ == State::kMaster && priority() != sent_priority_) {
    Advertise(priority());
    deadline_ = clock_->Now() + AdvertInterval();
  }
}

void Instance::Advertise(uint8_t priority) {
  actions_->SendAdvert(*this, priority);
  sent_priority_ = priority;
}

void Instance::BecomeMaster(absl::string_view reason) {
  Advertise(priority());
  deadline_ = clock_->Now() + AdvertInterval();
  ChangeState(State::kMaster, reason);
  actions_->SetActive(*this, true);
}

void Instance::BecomeBackup(Duration down_timer, absl::string_view reason) {
  if (state_ == State::kMaster) actions_->SetActive(*this, false);
  deadline_ = clock_->Now() + down_timer;
  takeover_reason_ = "master down timer expired";
  ChangeState(State::kBackup, reason);
}

void Instance::EnterFault(absl::string_view reason) {
  if (state_ == State::kMaster) {
    // Tell the backup to take over now rather than after Master_Down_Interval.
    Advertise(0);
    actions_->SetActive(*this, false);
  }
  deadline_.reset();
  ChangeState(State::kFault, reason);
}

void Instance::ChangeState(State to, absl::string_view reason) {
  State from = std::exchange(state_, to);
  // Ours while master; unknown after leaving MASTER or INIT until an
  // advert names the new master.
  if (to == State::kMaster) master_address_ = own_address_;
  if (to != State::kMaster && from != to) master_address_.reset();
  if (from == to) return;
  state_since_ = clock_->Now();
  actions_->StateChanged(*this, from, to, reason);
}

absl::Status Instance::SetDemoted(bool demoted) {
  if (demoted && tracking_.EffectivePriority() == 255) {
    return absl::FailedPreconditionError(
        "an address owner (priority 255) cannot be demoted");
  }
  if (demoted_ == demoted) return absl::OkStatus();
  demoted_ = demoted;
  actions_->Notice(*this, demoted ? "demoted: advertising priority 1"
                                  : "undemoted: back to its own priority");
  if (demoted && state_ == State::kMaster) {
    // As in a clean stop: the backup takes over after Skew_Time.
    Advertise(0);
    BecomeBackup(MasterDownInterval(), "demoted");
  }
  return absl::OkStatus();
}

}  // namespace vigil::brain
