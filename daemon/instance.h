#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/clock.h"
#include "daemon/instance_spec.h"
#include "daemon/tracking.h"
#include "daemon/vrrp_packet.h"
#include "proto/config.pb.h"

namespace vigil::brain {

enum class State { kInit, kBackup, kMaster, kFault };
absl::string_view StateName(
    State state);  // "INIT", "BACKUP", "MASTER", "FAULT"

class Instance;

// What the state machine asks the world to do. The brain implements it with
// sockets and agent requests; tests record the calls.
class InstanceActions {
 public:
  virtual ~InstanceActions() = default;
  virtual void SendAdvert(const Instance& instance, uint8_t priority) = 0;
  // Desired state of the VIPs: present and announced, or absent.
  virtual void SetActive(const Instance& instance, bool active) = 0;
  virtual void StateChanged(const Instance& instance, State from, State to,
                            absl::string_view reason) = 0;
  // Something an operator should know that is not a transition.
  virtual void Notice(const Instance& instance, absl::string_view what) = 0;
};

// One virtual router: the RFC 3768 / RFC 9568 state machine plus keepalived's
// FAULT state. Events in, actions out, no I/O; time comes from the Clock.
// Runs in: brain. Input: adverts that passed the receive checks, tracker
// results, and the clock.
class Instance {
 public:
  Instance(const config::VrrpInstance& config,
           const config::Config& full_config, IpAddress own_address,
           Clock* clock, InstanceActions* actions);

  void Start();
  // Start after a restart of the brain: the agent still holds this
  // instance's VIPs, so it goes straight back to MASTER (unless a tracker
  // says FAULT) and adverts before any backup's down timer runs out.
  void ResumeAsMaster();
  void Shutdown();
  // `source` is the sender's address from the IP header.
  // `age`: how long before now the kernel received it.
  void OnAdvert(const vrrp::Advert& advert, const IpAddress& source,
                Duration age = Duration(0));
  // Acts on the timer if it has expired at clock->Now(). A master's advert
  // may also go up to `advert_slack` early (capped at 2% of its interval),
  // so that instances due within a moment of each other share one wake-up;
  // its schedule stays exact. Down timers never fire early.
  void OnTimer(Duration advert_slack = Duration(0));
  void SetScriptState(const std::string& script, bool up);
  void SetInterfaceState(const std::string& interface, bool up);
  void SetFileValue(const std::string& file, int64_t value);
  // vrrp_sync_group: another member is in FAULT (`cause` says which), or
  // none is (empty).
  void SetGroupFault(const std::string& cause);
  // vrrp_sync_group: a member became MASTER or BACKUP; follow it if this
  // instance can (a FAULT or INIT instance stays where it is).
  void FollowGroup(State to, absl::string_view reason);
  // In FAULT because of its own trackers, not the group's.
  bool OwnFault() const { return tracking_.InFault(); }
  // Reload: a new config for the same interface, VRID and version. State,
  // timers and VIPs stay; tracking restarts from the scripts' known states;
  // a master whose VIP list changed asks for its VIPs again.
  void Reconfigure(const config::VrrpInstance& config,
                   const config::Config& full_config, IpAddress own_address,
                   const TrackerStates& trackers);

  std::optional<TimePoint> NextDeadline() const { return deadline_; }
  // Whether OnTimer(advert_slack) would act at `now`.
  bool TimerDue(TimePoint now, Duration advert_slack) const;
  State state() const { return state_; }
  const std::string& name() const { return spec_.name; }
  const InstanceSpec& spec() const { return spec_; }
  // Our advert source: the tie-break address, and where unicast peers send.
  const IpAddress& own_address() const { return own_address_; }
  void set_own_address(const IpAddress& address) { own_address_ = address; }
  // Where the owner keeps what it knows of this instance (the brain: its
  // socket and encoded adverts), so that it finds it without a search on
  // every advert. The state machine never reads it.
  size_t host_slot() const { return host_slot_; }
  void set_host_slot(size_t slot) { host_slot_ = slot; }
  // The priority we advertise: the trackers' result, or 1 while demoted.
  uint8_t priority() const {
    return demoted_ ? 1 : tracking_.EffectivePriority();
  }
  const Tracking& tracking() const { return tracking_; }

  // vigilctl demote: a master hands over at once (priority 0, then BACKUP);
  // while demoted the instance advertises priority 1, so it takes over only
  // if no other router can. An address owner cannot be demoted.
  absl::Status SetDemoted(bool demoted);
  bool demoted() const { return demoted_; }
  TimePoint state_since() const { return state_since_; }
  // The master's address as far as we know: ours while master, the sender
  // of the adverts we accept while backup.
  const std::optional<IpAddress>& master_address() const {
    return master_address_;
  }

  Duration AdvertInterval() const;  // our configured interval
  Duration SkewTime() const;        // from the master's interval (v3)
  Duration MasterDownInterval() const;

 private:
  void BecomeMaster(absl::string_view reason);
  void BecomeBackup(Duration down_timer, absl::string_view reason);
  void EnterFault(absl::string_view reason);
  void ChangeState(State to, absl::string_view reason);
  void OnAdvertAsBackup(const vrrp::Advert& advert, const IpAddress& source,
                        TimePoint heard);
  void OnAdvertAsMaster(const vrrp::Advert& advert, const IpAddress& source);
  void ApplyTracking();
  void Advertise(uint8_t priority);
  std::string FaultCause() const;  // empty: no reason to be in FAULT

  InstanceSpec spec_;
  // Of its VIPs as configured (advertised and excluded, with their
  // options): a reload that changes them asks for them again.
  size_t vips_fingerprint_;
  IpAddress own_address_;
  // SIZE_MAX until placed: a lookup then fails rather than finds another's.
  size_t host_slot_ = SIZE_MAX;
  Clock* clock_;
  InstanceActions* actions_;
  Tracking tracking_;
  State state_ = State::kInit;
  uint32_t master_interval_cs_;  // v3 backups learn it from the master
  std::optional<TimePoint>
      deadline_;  // advert timer (master) or down timer (backup)
  const char* takeover_reason_ = "master down timer expired";  // for the log
  TimePoint preempt_after_{};     // preempt_delay: no preemption before this
  std::string group_fault_;       // why the sync group holds us in FAULT
  bool startup_delayed_ = false;  // vrrp_startup_delay already waited
  bool demoted_ = false;
  uint8_t sent_priority_ = 0;  // in our last advert
  TimePoint state_since_{};
  std::optional<IpAddress> master_address_;
};

}  // namespace vigil::brain
