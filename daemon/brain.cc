#include "daemon/brain.h"

#include <arpa/inet.h>
#include <signal.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/instance_family.h"
#include "common/log.h"
#include "common/resource_limits.h"
#include "common/status_macros.h"
#include "conf/config_diff.h"
#include "daemon/receive_checks.h"
#include "daemon/transmit_plan.h"

namespace vigil::brain {
namespace {

// Masters due within this long of the earliest advert send theirs in the
// same wake-up: with many instances most of an advert's cost is waking up.
constexpr Duration kAdvertCoalescing = std::chrono::microseconds(200);

}  // namespace
Brain::Brain(EventLoop* loop, Clock* clock, IpcChannel agent,
             IpcChannel checker)
    : loop_(loop),
      clock_(clock),
      agent_(std::move(agent)),
      checker_(std::move(checker)),
      receiver_(clock,
                [](const std::string& line) { LOG_WARNING("%s", line); }) {}

absl::Status Brain::Start(const ipc::BrainSetup& setup,
                          std::vector<UniqueFd> socket_fds) {
  config_ = setup.config();
  // After the VRRP sockets: the control socket, then the metrics listener.
  if (setup.metrics_attached()) {
    if (socket_fds.empty())
      return absl::InvalidArgumentError("setup without its metrics socket");
    RETURN_IF_ERROR(StartMetricsHttp(std::move(socket_fds.back())));
    socket_fds.pop_back();
  }
  if (setup.control_attached()) {
    if (socket_fds.empty())
      return absl::InvalidArgumentError("setup without its control socket");
    RETURN_IF_ERROR(StartControl(std::move(socket_fds.back()),
                                 static_cast<gid_t>(setup.control_gid())));
    socket_fds.pop_back();
  }
  RETURN_IF_ERROR(TakeSockets(setup, std::move(socket_fds)));
  for (const config::VrrpInstance& c : config_.instances()) {
    auto instance =
        std::make_unique<Instance>(c, config_, IpAddress(), clock_, this);
    RETURN_IF_ERROR(Place(*instance, c));
    instances_.push_back(std::move(instance));
  }
  DropInstanceConfigs();
  RETURN_IF_ERROR(loop_->WatchFd(agent_.fd(), [this] { OnAgentReadable(); }));
  RETURN_IF_ERROR(
      loop_->WatchFd(checker_.fd(), [this] { OnCheckerReadable(); }));
  for (int signo : {SIGTERM, SIGINT}) {
    RETURN_IF_ERROR(
        loop_->WatchSignal(signo, [this] { ShutdownAndStop("signal"); }));
  }
  AssignSyncGroups();
  if (!setup.restarted()) {
    for (auto& instance : instances_) instance->Start();
  } else {
    ResumeAfterRestart(setup);
  }
  FinishEvent();
  return absl::OkStatus();
}

// The previous brain died. Masters resume at once (their VIPs are still up,
// and a backup is counting down). The others wait until the checker has
// resent the tracker states, so an instance that was in FAULT does not pass
// through BACKUP first and run notify scripts for nothing.
void Brain::ResumeAfterRestart(const ipc::BrainSetup& setup) {
  std::set<std::string> masters(setup.resume_master().begin(),
                                setup.resume_master().end());
  for (auto& instance : instances_) {
    if (masters.count(instance->name())) instance->ResumeAsMaster();
  }
  LOG_INFO(
      "restarted: %d instances resumed as master; the others start "
      "when the checker has resent tracker states",
      masters.size());
  deferred_start_ = clock_->Now() + kCheckerSyncWait;
}

void Brain::StartDeferred() {
  if (!deferred_start_) return;
  deferred_start_.reset();
  for (auto& instance : instances_) instance->Start();  // no-op unless INIT
}

// The checker was restarted: this is the channel to the new one. It learns
// the script states we hold, so it reports only real changes.
void Brain::TakeCheckerChannel(UniqueFd fd) {
  loop_->UnwatchFd(checker_.fd());
  checker_ = IpcChannel(std::move(fd), "checker");
  if (absl::Status s =
          loop_->WatchFd(checker_.fd(), [this] { OnCheckerReadable(); });
      !s.ok()) {
    LOG_ERROR("new checker channel: %s", s.ToString());
    return;
  }
  ipc::BrainToChecker message;
  ipc::KnownStates* known = message.mutable_known_states();
  known->mutable_scripts()->insert(trackers_.scripts.begin(),
                                   trackers_.scripts.end());
  for (const auto& [name, record] : by_name_) {
    if (record.delivered != ipc::InstanceState::UNKNOWN)
      (*known->mutable_instances())[name] = record.delivered;
  }
  known->mutable_groups()->insert(delivered_groups_.begin(),
                                  delivered_groups_.end());
  if (absl::Status s = checker_.Send(message); !s.ok())
    LOG_ERROR("new checker channel: %s", s.ToString());
  LOG_INFO("connected to the restarted checker");
  // Transitions made while no checker was there to hear them.
  for (const auto& instance : instances_) {
    ipc::InstanceState::State now = NoticeState(instance->state());
    auto it = by_name_.find(instance->name());
    if (now == ipc::InstanceState::UNKNOWN ||
        (it != by_name_.end() && it->second.delivered == now)) {
      continue;
    }
    ReportTransition(*instance, now);
  }
}

// The setup's socket list, in order: a reused entry keeps the socket we
// already have for that interface and family, the others take the next fd.
absl::Status Brain::TakeSockets(const ipc::BrainSetup& setup,
                                std::vector<UniqueFd> fds) {
  size_t wanted = 0;
  for (const ipc::VrrpSocket& s : setup.sockets()) wanted += s.reuse() ? 0 : 1;
  if (fds.size() != wanted) {
    return absl::InvalidArgumentError(absl::StrCat(
        "setup needs ", wanted, " sockets but carries ", fds.size()));
  }
  std::vector<std::unique_ptr<AdvertSocket>> next;
  size_t next_fd = 0;
  for (const ipc::VrrpSocket& s : setup.sockets()) {
    std::optional<IpAddress> primary = IpAddress::FromBytes(s.primary());
    if (!primary) {
      return absl::InvalidArgumentError(absl::StrCat(
          "setup socket for ", s.interface(), " without a primary address"));
    }
    if (s.reuse()) {
      auto it = std::find_if(sockets_.begin(), sockets_.end(), [&](auto& old) {
        return old && old->interface() == s.interface() &&
               old->primary_address().family() == primary->family();
      });
      if (it == sockets_.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("no socket to reuse for ", s.interface()));
      }
      next.push_back(std::move(*it));
      continue;
    }
    auto socket =
        std::make_unique<AdvertSocket>(std::move(fds[next_fd++]), s.interface(),
                                       static_cast<int>(s.ifindex()), *primary);
    RETURN_IF_ERROR(WatchSocket(socket.get()));
    next.push_back(std::move(socket));
  }
  for (auto& old : sockets_)
    if (old) loop_->UnwatchFd(old->fd());
  sockets_ = std::move(next);
  return absl::OkStatus();
}

absl::Status Brain::WatchSocket(AdvertSocket* socket) {
  return loop_->WatchFd(socket->fd(), [this, socket] {
    socket->Drain([this, socket](vrrp::DropReason verdict,
                                 const vrrp::Envelope& envelope,
                                 std::span<const uint8_t> payload) {
      OnDatagram(*socket, verdict, envelope, payload);
    });
    FinishEvent();
  });
}

// Finds the instance's socket and indexes it by VRID there; instances with a
// configured source keep it, the others use the socket's primary address.
absl::Status Brain::Place(Instance& instance, const config::VrrpInstance& c) {
  for (auto& socket : sockets_) {
    if (socket->interface() != AdvertInterface(c) ||
        socket->primary_address().family() != InstanceFamily(c)) {
      continue;
    }
    instance.set_own_address(OwnAddress(c, *socket));
    instance.set_host_slot(placements_.size());
    placements_.push_back(
        Placement{socket.get(), &by_name_[c.name()].counters, {}});
    by_vrid_.Set(socket.get(), static_cast<uint8_t>(c.vrid()), &instance);
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "no VRRP socket for interface ", AdvertInterface(c), " of ", c.name()));
}

// Its placement stays until Reload rebuilds them all: the instance is gone
// by then, and nothing looks it up meanwhile.
void Brain::Forget(const Instance* instance) { by_vrid_.Erase(instance); }

Brain::Placement& Brain::PlacementOf(const Instance& instance) {
  return placements_.at(instance.host_slot());
}

// Each instance keeps what it runs on (InstanceSpec); their configs stay
// here once, encoded, for the next reload's comparison and for status. As
// protobuf objects they were a third of the brain's memory at 1,000
// instances. (clear_instances() would keep the cleared messages for reuse.)
void Brain::DropInstanceConfigs() {
  config::Config instances;
  instances.mutable_instances()->Swap(config_.mutable_instances());
  running_instances_ = instances.SerializeAsString();
}

config::Config Brain::RunningConfig() const {
  config::Config running = config_;
  running.clear_instances();
  // Encoded here from a valid message: decoding cannot fail.
  (void)running.MergeFromString(running_instances_);
  return running;
}

void Brain::AssignSyncGroups() {
  std::vector<Instance*> all;
  for (auto& instance : instances_) all.push_back(instance.get());
  sync_groups_.Assign(all);
}

absl::Status Brain::Reload(const ipc::BrainSetup& setup,
                           std::vector<UniqueFd> fds) {
  summary_due_ = true;  // instances may come and go
  std::vector<conf::InstanceDiff> diff =
      conf::DiffInstances(RunningConfig(), setup.config());
  // Stopped on the old sockets, before they may close. The agent has already
  // removed their VIPs, and its new policy would refuse to hear of them.
  for (const conf::InstanceDiff& d : diff) {
    if (d.kind != conf::InstanceDiff::Kind::kRemoved &&
        d.kind != conf::InstanceDiff::Kind::kReplaced) {
      continue;
    }
    auto it = std::find_if(instances_.begin(), instances_.end(),
                           [&](auto& i) { return i->name() == d.name; });
    if (it == instances_.end()) continue;
    retiring_ = it->get();
    (*it)->Shutdown();
    retiring_ = nullptr;
    Forget(it->get());
    instances_.erase(it);
  }
  // Nothing may point at a stopped instance, even if the rest fails.
  AssignSyncGroups();
  RETURN_IF_ERROR(TakeSockets(setup, std::move(fds)));
  config_ = setup.config();
  placements_.clear();
  by_vrid_.Clear();
  std::vector<std::unique_ptr<Instance>> next;
  std::vector<Instance*> added;
  for (const config::VrrpInstance& c : config_.instances()) {
    auto it = std::find_if(instances_.begin(), instances_.end(),
                           [&](auto& i) { return i && i->name() == c.name(); });
    std::unique_ptr<Instance> instance;
    if (it != instances_.end()) {
      instance = std::move(*it);
    } else {
      instance =
          std::make_unique<Instance>(c, config_, IpAddress(), clock_, this);
      added.push_back(instance.get());
    }
    RETURN_IF_ERROR(Place(*instance, c));
    next.push_back(std::move(instance));
  }
  instances_ = std::move(next);
  // Only once every instance is placed, so that no instance can run (a
  // reconfigured master may send, e.g. its priority 0 on entering FAULT)
  // while another still has the slot of the previous placement.
  for (int i = 0; i < config_.instances_size(); ++i) {
    Instance& instance = *instances_[static_cast<size_t>(i)];
    instance.Reconfigure(config_.instances(i), config_, instance.own_address(),
                         trackers_);
  }
  DropInstanceConfigs();
  AssignSyncGroups();
  for (Instance* instance : added) instance->Start();
  LOG_INFO("reload applied: %s", conf::DescribeDiff(diff));
  FinishEvent();
  return absl::OkStatus();
}

IpAddress Brain::OwnAddress(const config::VrrpInstance& c,
                            const AdvertSocket& socket) {
  std::optional<IpAddress> configured =
      IpAddress::FromBytes(c.source_address());
  return configured ? *configured : socket.primary_address();
}

void Brain::OnDatagram(AdvertSocket& socket, vrrp::DropReason verdict,
                       const vrrp::Envelope& envelope,
                       std::span<const uint8_t> payload) {
  // Our own adverts looped back (multicast loop is off; belt and braces).
  if (verdict == vrrp::DropReason::kNone &&
      envelope.source == socket.primary_address()) {
    return;
  }
  std::optional<AdvertReceiver::Delivery> delivery = receiver_.Receive(
      verdict, envelope, payload, socket.interface(),
      [&](uint8_t vrid) { return by_vrid_.Find(&socket, vrid); });
  if (!delivery) return;
  LOG_DEBUG("VRRP_Instance(%s) advert from %s priority %d",
            delivery->instance->name(), envelope.source.ToString(),
            delivery->advert.priority);
  control::InstanceStats& counters = *PlacementOf(*delivery->instance).counters;
  counters.set_adverts_received(counters.adverts_received() + 1);
  if (delivery->advert.priority == 0)
    counters.set_priority_zero_received(counters.priority_zero_received() + 1);
  delivery->instance->OnAdvert(delivery->advert, envelope.source, envelope.age);
}

const Brain::EncodedAdverts& Brain::Encoded(const Instance& instance,
                                            Placement& placed,
                                            uint8_t priority) {
  if (placed.encoded && placed.encoded->priority == priority)
    return *placed.encoded;
  const InstanceSpec& spec = instance.spec();
  TransmitPlan plan = PlanAdvert(spec, priority, instance.own_address());
  EncodedAdverts& encoded =
      placed.encoded.emplace(EncodedAdverts{priority, {}});
  for (const vrrp::Envelope& copy : plan.copies) {
    // The v3 pseudo-header names the destination, so each copy is encoded.
    encoded.copies.emplace_back(
        copy, std::make_shared<const std::vector<uint8_t>>(vrrp::EncodeAdvert(
                  plan.advert, copy, spec.v3_checksum_as_v2)));
  }
  return encoded;
}

void Brain::SendAdvert(const Instance& instance, uint8_t priority) {
  Placement& placed = PlacementOf(instance);
  AdvertSocket* socket = placed.socket;
  absl::Status status;
  for (const auto& [copy, bytes] : Encoded(instance, placed, priority).copies) {
    AdvertSocket::Outgoing datagram{*bytes, copy.source, copy.destination,
                                    copy.ttl};
    if (queueing_adverts_) {
      advert_queue_.push_back({socket, &instance, bytes, datagram});
    } else {
      status.Update(socket->Send(datagram));
    }
  }
  control::InstanceStats& counters = *placed.counters;
  counters.set_adverts_sent(counters.adverts_sent() + 1);
  if (priority == 0)
    counters.set_priority_zero_sent(counters.priority_zero_sent() + 1);
  if (!status.ok()) {
    LOG_ERROR("VRRP_Instance(%s) %s", instance.name(), status.ToString());
  } else if (priority == 0) {
    LOG_INFO("VRRP_Instance(%s) sent priority 0 advert", instance.name());
  }
}

void Brain::SetActive(const Instance& instance, bool active) {
  if (Deferring()) {
    outbox_.push_back(
        [this, &instance, active] { SetActive(instance, active); });
    return;
  }
  if (&instance == retiring_) return;
  ipc::BrainToAgent request;
  request.set_seq(next_seq_++);
  request.mutable_set_active()->set_instance(instance.name());
  request.mutable_set_active()->set_active(active);
  absl::Status status = agent_.Send(request);
  if (!status.ok())
    LOG_ERROR("cannot ask the agent to change %s: %s", instance.name(),
              status.ToString());
}

void Brain::ReportTransition(const Instance& instance,
                             ipc::InstanceState::State state) {
  SendNotice(instance.name(), false, state, instance.priority());
}

void Brain::ReportGroup(const std::string& group,
                        ipc::InstanceState::State state, uint8_t priority) {
  SendNotice(group, true, state, priority);
}

void Brain::SendNotice(const std::string& name, bool group,
                       ipc::InstanceState::State state, uint8_t priority) {
  if (Deferring()) {
    outbox_.push_back([this, name, group, state, priority] {
      SendNotice(name, group, state, priority);
    });
    return;
  }
  ipc::BrainToChecker message;
  ipc::InstanceState* report = message.mutable_instance_state();
  report->set_instance(name);
  report->set_group(group);
  report->set_state(state);
  report->set_priority(priority);
  if (absl::Status s = checker_.Send(message); !s.ok()) {
    LOG_ERROR("%s %s: notify not sent: %s", group ? "group" : "instance", name,
              s.ToString());
    return;
  }
  if (checker_corked_) {
    corked_notices_.push_back({name, group, state});
    return;
  }
  RecordDelivered(name, group, state);
}

void Brain::RecordDelivered(const std::string& name, bool group,
                            ipc::InstanceState::State state) {
  if (group) {
    delivered_groups_[name] = state;
  } else {
    by_name_[name].delivered = state;
  }
}

// The notify name of a state; INIT has none (a stop reports STOP itself).
ipc::InstanceState::State Brain::NoticeState(State state) {
  switch (state) {
    case State::kMaster:
      return ipc::InstanceState::MASTER;
    case State::kBackup:
      return ipc::InstanceState::BACKUP;
    case State::kFault:
      return ipc::InstanceState::FAULT;
    case State::kInit:
      break;
  }
  return ipc::InstanceState::UNKNOWN;
}

void Brain::StateChanged(const Instance& instance, State from, State to,
                         absl::string_view reason) {
  if (in_timer_pass_) {
    pending_transitions_.push_back({&instance, from, to, std::string(reason)});
    return;
  }
  ReportStateChange(instance, from, to, reason);
}

// The oldest `most`. A sync group may move other instances: they advertise
// at once and report after these.
void Brain::ReportTransitions(size_t most) {
  size_t n = std::min(most, pending_transitions_.size());
  std::vector<PendingTransition> chunk(
      std::make_move_iterator(pending_transitions_.begin()),
      std::make_move_iterator(pending_transitions_.begin() + n));
  pending_transitions_.erase(pending_transitions_.begin(),
                             pending_transitions_.begin() + n);
  for (const PendingTransition& t : chunk)
    ReportStateChange(*t.instance, t.from, t.to, t.reason);
}

void Brain::ReportStateChange(const Instance& instance, State from, State to,
                              absl::string_view reason) {
  ++transitions_since_trim_;
  if (to != State::kInit) ReportTransition(instance, NoticeState(to));
  CountTransition(instance, from, to, reason);
  sync_groups_.Transitioned(instance, to);
  // Encoded now, so that a takeover only sends.
  if (to == State::kBackup) {
    (void)Encoded(instance, PlacementOf(instance), instance.priority());
  }
  // keepalived's wording, which users grep for.
  LOG_INFO("VRRP_Instance(%s) Entering %s STATE (%s)", instance.name(),
           StateName(to), reason);
  if (to == State::kMaster) {
    LOG_INFO("VRRP_Instance(%s) priority %d, master down interval was %.3f s",
             instance.name(), instance.priority(),
             static_cast<double>(instance.MasterDownInterval().count()) / 1e6);
  }
}

void Brain::Notice(const Instance& instance, absl::string_view what) {
  LOG_WARNING("VRRP_Instance(%s) %s", instance.name(), what);
}

void Brain::OnAgentReadable() {
  for (;;) {
    ipc::AgentToBrain message;
    std::vector<UniqueFd> fds;
    absl::StatusOr<bool> got = agent_.Receive(&message, &fds);
    if (!got.ok()) {
      if (got.status().code() == absl::StatusCode::kUnavailable) {
        // No priority-0 advert: the VIPs may still be on this host with
        // nobody to remove them, so a backup must wait the full
        // Master_Down_Interval, not just Skew_Time.
        LOG_ERROR("the agent has gone; leaving without priority-0 adverts");
        loop_->Stop();
        return;
      }
      LOG_ERROR("%s", got.status().ToString());
      continue;
    }
    if (!*got) break;
    if (message.has_shutdown()) return ShutdownAndStop("the agent asked");
    if (message.has_link_state()) {
      const ipc::LinkState& link = message.link_state();
      trackers_.interfaces[link.interface()] = link.up();
      for (auto& instance : instances_)
        instance->SetInterfaceState(link.interface(), link.up());
    }
    if (message.has_reload()) {
      if (absl::Status s = Reload(message.reload(), std::move(fds)); !s.ok())
        LOG_ERROR("reload: %s", s.ToString());
      ReturnFreeMemory();
    } else if (message.has_dump_request()) {
      SendDump();
    } else if (message.has_reload_result() && control_) {
      control::Reloaded result;
      result.set_ok(message.reload_result().ok());
      result.set_errors(message.reload_result().errors());
      control_->ReloadDone(result);
    } else if (message.has_peer_channel() && fds.size() == 1) {
      TakeCheckerChannel(std::move(fds[0]));
    } else if (!fds.empty()) {
      LOG_ERROR("the agent sent %d unexpected fds; closed", fds.size());
    }
    if (message.has_reply() && message.reply().code() != 0) {
      LOG_ERROR("agent refused request %d: %s", message.reply().seq(),
                message.reply().message());
    }
  }
  FinishEvent();
}

void Brain::OnCheckerReadable() {
  for (;;) {
    ipc::CheckerToBrain message;
    absl::StatusOr<bool> got = checker_.Receive(&message);
    if (!got.ok()) {
      LOG_ERROR("%s", got.status().ToString());
      if (got.status().code() == absl::StatusCode::kUnavailable)
        loop_->UnwatchFd(checker_.fd());
      return;
    }
    if (!*got) break;
    if (message.has_file_state()) {
      const ipc::FileState& f = message.file_state();
      trackers_.files[f.file()] = f.value();
      for (auto& instance : instances_)
        instance->SetFileValue(f.file(), f.value());
    }
    if (message.has_script_state()) {
      const ipc::ScriptState& s = message.script_state();
      trackers_.scripts[s.script()] = s.up();
      for (auto& instance : instances_)
        instance->SetScriptState(s.script(), s.up());
    }
    if (message.has_synced()) StartDeferred();
  }
  FinishEvent();
}

void Brain::OnTimer() {
  if (!log_held_since_) {
    HoldLogLines();  // until the burst of timers is over (FinishEvent)
    log_held_since_ = clock_->Now();
  }
  if (deferred_start_ && clock_->Now() >= *deferred_start_) {
    LOG_WARNING("the checker did not resend tracker states in time; starting");
    StartDeferred();
  }
  // Every due advert first: when many instances take over at once, their
  // requests to the agent and notices to the checker would otherwise hold
  // back the later instances' first adverts (by ~0.1 ms each). Then the
  // pass's requests (the agent starts on the VIPs), reports and notices, a
  // chunk at a time, with the adverts of any instance due meanwhile first.
  constexpr size_t kChunk = 32;
  in_timer_pass_ = true;
  RunDueTimers();
  while (!outbox_.empty() || !pending_transitions_.empty()) {
    if (!outbox_.empty()) {
      SendOutbox(kChunk);
    } else {
      ReportTransitions(kChunk);
    }
    if (AnyTimerDue()) RunDueTimers();
  }
  in_timer_pass_ = false;
  FinishEvent();
}

// One clock read for the lot: at 255 instances a read per instance cost more
// than the adverts of a pass.
bool Brain::AnyTimerDue() const {
  TimePoint now = clock_->Now();
  for (const auto& instance : instances_)
    if (instance->TimerDue(now, kAdvertCoalescing)) return true;
  return false;
}

// Until no instance is due: an instance that falls due while the pass's
// adverts go out advertises before the pass's IPC, not after it. Adverts
// leave in chunks, so the first of a mass takeover do not wait for the
// state machines of the last.
void Brain::RunDueTimers() {
  constexpr size_t kAdvertChunk = 32;
  constexpr int kMaxRounds = 8;  // bounds a deadline that would not move
  queueing_adverts_ = true;
  for (int round = 0; round < kMaxRounds; ++round) {
    TimePoint now = clock_->Now();
    for (auto& instance : instances_) {
      if (!instance->TimerDue(now, kAdvertCoalescing)) continue;
      instance->OnTimer(kAdvertCoalescing);
      if (advert_queue_.size() >= kAdvertChunk) SendQueuedAdverts();
    }
    SendQueuedAdverts();
    if (!AnyTimerDue()) break;
  }
  queueing_adverts_ = false;
}

// The oldest `most` of the pass's requests to the agent and notices to the
// checker, each channel's in one system call (IpcChannel::Cork).
void Brain::SendOutbox(size_t most) {
  std::vector<std::function<void()>> pending;
  while (!outbox_.empty() && pending.size() < most) {
    pending.push_back(std::move(outbox_.front()));
    outbox_.pop_front();
  }
  flushing_outbox_ = true;
  agent_.Cork();
  checker_.Cork();
  checker_corked_ = true;
  for (const auto& send : pending) send();
  flushing_outbox_ = false;
  if (absl::Status s = agent_.Uncork(); !s.ok()) LOG_ERROR("%s", s.ToString());
  checker_corked_ = false;
  std::vector<CorkedNotice> notices = std::move(corked_notices_);
  corked_notices_.clear();
  if (absl::Status s = checker_.Uncork(); !s.ok()) {
    LOG_ERROR("%d notify messages not sent: %s", notices.size(), s.ToString());
    return;
  }
  for (const CorkedNotice& n : notices)
    RecordDelivered(n.name, n.group, n.state);
}

void Brain::SendQueuedAdverts() {
  std::vector<QueuedAdvert>& queue = advert_queue_;
  // Per socket, in the order queued.
  for (size_t start = 0; start < queue.size();) {
    AdvertSocket* socket = queue[start].socket;
    std::vector<AdvertSocket::Outgoing> batch;
    std::vector<const Instance*> senders;
    batch.reserve(queue.size() - start);
    senders.reserve(queue.size() - start);
    for (size_t i = start; i < queue.size(); ++i) {
      if (queue[i].socket != socket) continue;
      batch.push_back(queue[i].datagram);
      senders.push_back(queue[i].instance);
      queue[i].socket = nullptr;  // taken
    }
    for (const auto& [index, status] : socket->SendBatch(batch))
      LOG_ERROR("VRRP_Instance(%s) %s", senders[index]->name(),
                status.ToString());
    while (start < queue.size() && queue[start].socket == nullptr) ++start;
  }
  queue.clear();
}

// After every event: let sync groups catch up with what the state machines
// did, then arm the timer for the earliest deadline.
void Brain::FinishEvent() {
  ReportSummary();
  for (const SyncGroups::GroupChange& change : sync_groups_.Settle()) {
    LOG_INFO("VRRP_Group(%s) Syncing instances to %s state", change.group,
             StateName(change.state));
    ReportGroup(change.group, NoticeState(change.state), change.priority);
  }
  std::optional<TimePoint> earliest = deferred_start_;
  for (const auto& instance : instances_) {
    std::optional<TimePoint> deadline = instance->NextDeadline();
    if (deadline && (!earliest || *deadline < *earliest)) earliest = deadline;
  }
  loop_->SetTimer(earliest, [this] { OnTimer(); });
  if (!log_held_since_) {
    TrimAfterBurst();
    return;
  }
  // The log lines of a mass takeover wait while more timers are due within
  // kLogQuiet, so that they do not delay the later instances' adverts; they
  // wait kMaxLogDelay at most.
  TimePoint now = clock_->Now();
  if ((!earliest || *earliest - now >= kLogQuiet) ||
      now - *log_held_since_ >= kMaxLogDelay) {
    log_held_since_.reset();
    ReleaseLogLines();
    TrimAfterBurst();
  }
}

// Once a burst of transitions (start-up, a mass takeover, a reload) is over
// and its log lines are out, the memory its reports took goes back to the
// system: ~0.6 MB at 1,000 instances.
void Brain::TrimAfterBurst() {
  if (transitions_since_trim_ < kBurstTransitions) return;
  transitions_since_trim_ = 0;
  // Its list of transitions too: at 1,000 instances, 48 kB kept for the
  // next mass takeover.
  if (pending_transitions_.empty()) pending_transitions_ = {};
  ReturnFreeMemory();
}

void Brain::ShutdownAndStop(absl::string_view why) {
  if (stopping_) return;
  stopping_ = true;
  log_held_since_.reset();
  ReleaseLogLines();
  LOG_INFO("stopping (%s)", why);
  for (auto& instance : instances_) {
    instance->Shutdown();
    ReportTransition(*instance, ipc::InstanceState::STOP);
  }
  for (const auto& [group, members] : sync_groups_.groups())
    ReportGroup(group, ipc::InstanceState::STOP, members.front()->priority());
  loop_->Stop();
}

}  // namespace vigil::brain
