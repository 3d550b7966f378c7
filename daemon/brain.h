#pragma once

#include <array>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/ipc_channel.h"
#include "daemon/advert_receiver.h"
#include "daemon/advert_socket.h"
#include "daemon/control_server.h"
#include "daemon/instance.h"
#include "daemon/metrics_http.h"
#include "daemon/sync_groups.h"
#include "daemon/vrid_index.h"
#include "proto/ipc.pb.h"

namespace vigil::brain {

// The brain's dispatcher: routes datagrams to instances, check results to
// trackers, instance actions to sockets and agent requests, and keeps the one
// timer armed for the earliest instance deadline.
// Runs in: brain (unprivileged). Input: network datagrams (hostile), the
// checker's reports, the agent's setup and replies.
class Brain : public InstanceActions, public ControlServer::Handler {
 public:
  Brain(EventLoop* loop, Clock* clock, IpcChannel agent, IpcChannel checker);

  // Takes the setup message and its sockets, starts every instance.
  absl::Status Start(const ipc::BrainSetup& setup,
                     std::vector<UniqueFd> socket_fds);

  // InstanceActions:
  void SendAdvert(const Instance& instance, uint8_t priority) override;
  void SetActive(const Instance& instance, bool active) override;
  void StateChanged(const Instance& instance, State from, State to,
                    absl::string_view reason) override;
  void Notice(const Instance& instance, absl::string_view what) override;

  // ControlServer::Handler (brain_control.cc):
  control::Status GetStatus() const override;
  control::Stats GetStats() const override;
  absl::StatusOr<std::string> Demote(const std::string& instance,
                                     bool demote) override;
  absl::Status RequestReload() override;

 private:
  absl::Status TakeSockets(const ipc::BrainSetup& setup,
                           std::vector<UniqueFd> fds);
  absl::Status WatchSocket(AdvertSocket* socket);
  void ResumeAfterRestart(const ipc::BrainSetup& setup);
  void StartDeferred();
  void TakeCheckerChannel(UniqueFd fd);
  absl::Status Place(Instance& instance, const config::VrrpInstance& c);
  absl::Status Reload(const ipc::BrainSetup& setup, std::vector<UniqueFd> fds);
  static IpAddress OwnAddress(const config::VrrpInstance& c,
                              const AdvertSocket& socket);
  void OnDatagram(AdvertSocket& socket, vrrp::DropReason verdict,
                  const vrrp::Envelope& envelope,
                  std::span<const uint8_t> payload);
  static ipc::InstanceState::State NoticeState(State state);
  void ReportTransition(const Instance& instance,
                        ipc::InstanceState::State state);
  void ReportGroup(const std::string& group, ipc::InstanceState::State state,
                   uint8_t priority);
  void SendNotice(const std::string& name, bool group,
                  ipc::InstanceState::State state, uint8_t priority);
  void RecordDelivered(const std::string& name, bool group,
                       ipc::InstanceState::State state);
  void AssignSyncGroups();
  void DropInstanceConfigs();
  config::Config RunningConfig() const;   // config_ with running_instances_
  void Forget(const Instance* instance);  // drop it from the indexes
  void OnAgentReadable();
  void OnCheckerReadable();
  void OnTimer();
  void FinishEvent();
  // During a timer pass, requests to the agent and notices to the checker
  // wait in the outbox and go out after the pass's adverts. Kept between
  // passes, so that a pass allocates nothing when it has nothing to defer.
  bool in_timer_pass_ = false;
  std::deque<std::function<void()>> outbox_;
  bool flushing_outbox_ = false;  // its entries are being sent
  bool Deferring() const { return in_timer_pass_ && !flushing_outbox_; }
  // An instance's encoded adverts, one per destination, for the priority it
  // last sent: a master re-encodes only when its priority changes. Dropped
  // when the instance is placed again (on reload the config may change).
  struct EncodedAdverts {
    uint8_t priority;
    std::vector<
        std::pair<vrrp::Envelope, std::shared_ptr<const std::vector<uint8_t>>>>
        copies;
  };
  // What sending an advert needs of an instance, at its host_slot() in
  // placements_.
  struct Placement {
    AdvertSocket* socket;
    control::InstanceStats* counters;  // in a node of by_name_, which stays
    std::optional<EncodedAdverts> encoded;
  };
  Placement& PlacementOf(const Instance& instance);
  const EncodedAdverts& Encoded(const Instance& instance, Placement& placed,
                                uint8_t priority);
  // A timer pass's adverts, sent per socket with sendmmsg at its end.
  struct QueuedAdvert {
    AdvertSocket* socket;
    const Instance* instance;
    std::shared_ptr<const std::vector<uint8_t>> bytes;
    AdvertSocket::Outgoing datagram;
  };
  void SendQueuedAdverts();
  void RunDueTimers();
  void SendOutbox(size_t most);
  // Since when log lines are held (see FinishEvent).
  std::optional<TimePoint> log_held_since_;
  static constexpr Duration kLogQuiet = std::chrono::milliseconds(2);
  static constexpr Duration kMaxLogDelay = std::chrono::milliseconds(20);
  // In a timer pass; kept between passes, so that the queue is not grown
  // again each pass (SendQueuedAdverts still allocates its per-socket batch).
  bool queueing_adverts_ = false;
  std::vector<QueuedAdvert> advert_queue_;
  // A timer pass's transitions, reported (log lines, notices, metrics, sync
  // groups) once its adverts are out: at a takeover of hundreds of
  // instances, reporting each first would hold back every first advert.
  struct PendingTransition {
    const Instance* instance;
    State from;
    State to;
    std::string reason;
  };
  std::vector<PendingTransition> pending_transitions_;  // in a timer pass
  void ReportTransitions(size_t most);
  void TrimAfterBurst();
  size_t transitions_since_trim_ = 0;
  static constexpr size_t kBurstTransitions = 32;
  bool AnyTimerDue() const;
  void ReportStateChange(const Instance& instance, State from, State to,
                         absl::string_view reason);
  void ShutdownAndStop(absl::string_view why);
  absl::Status StartControl(UniqueFd listener, gid_t control_gid);
  absl::Status StartMetricsHttp(UniqueFd listener);
  void ReportSummary();
  void SendDump();
  void CountTransition(const Instance& instance, State from, State to,
                       absl::string_view reason);

  EventLoop* loop_;
  Clock* clock_;
  IpcChannel agent_;
  IpcChannel checker_;
  config::Config config_;  // without its instances (DropInstanceConfigs)
  std::string running_instances_;  // a Config of the instances, encoded
  std::vector<std::unique_ptr<AdvertSocket>> sockets_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::vector<Placement> placements_;  // rebuilt by Reload
  VridIndex by_vrid_;
  AdvertReceiver receiver_;
  SyncGroups sync_groups_;
  TrackerStates trackers_;  // as last reported
  // Per instance name, so that they outlive a reload that replaces the
  // instance: its counters, and the notify state the checker was last told
  // of (a new checker learns them, and catches up on what it missed). One
  // map, not two: each node costs 80 B an instance.
  struct NameRecord {
    control::InstanceStats counters;
    ipc::InstanceState::State delivered = ipc::InstanceState::UNKNOWN;  // none
  };
  std::map<std::string, NameRecord> by_name_;
  std::map<std::string, ipc::InstanceState::State> delivered_groups_;
  // Notices of a timer pass, sent together: delivered once the send is done.
  struct CorkedNotice {
    std::string name;
    bool group;
    ipc::InstanceState::State state;
  };
  bool checker_corked_ = false;
  std::vector<CorkedNotice> corked_notices_;
  const Instance* retiring_ = nullptr;  // being stopped by a reload
  // After a restart: when the non-resumed instances start at the latest.
  std::optional<TimePoint> deferred_start_;
  static constexpr Duration kCheckerSyncWait = std::chrono::seconds(1);
  std::unique_ptr<ControlServer> control_;
  std::unique_ptr<MetricsHttp> metrics_http_;
  uint64_t transition_seq_ = 0;
  std::string last_summary_;  // as sent to the agent, for systemd
  bool summary_due_ = true;   // a transition since, or never sent
  uint64_t next_seq_ = 1;
  bool stopping_ = false;
};

}  // namespace vigil::brain
