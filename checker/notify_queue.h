#pragma once

#include <sys/types.h>

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "proto/config.pb.h"
#include "proto/ipc.pb.h"

namespace vigil::checker {

using Command = std::vector<std::string>;

// The commands keepalived runs when an instance (kind "INSTANCE") or a sync
// group ("GROUP") enters `state`: the state's own script as written, then
// `notify` with KIND NAME STATE PRIORITY.
std::vector<Command> NotifyCommands(const config::NotifyScripts& notify,
                                    absl::string_view kind,
                                    const std::string& name,
                                    ipc::InstanceState::State state,
                                    uint32_t priority);

// Notify commands per instance, run one at a time and in the order the
// transitions happened, so a script never sees BACKUP after a later MASTER
// (keepalived runs them concurrently). A command running longer than the
// limit is killed, so one hung script cannot hold back the ones after it.
// Runs in: checker. Input: transitions from the brain, already checked
// against the config.
class NotifyQueue {
 public:
  using Starter = std::function<absl::StatusOr<pid_t>(const Command&)>;
  using Killer = std::function<void(pid_t)>;
  static constexpr Duration kLimit = std::chrono::seconds(60);

  NotifyQueue(Starter start, Killer kill)
      : start_(std::move(start)), kill_(std::move(kill)) {}

  // `lane` names the instance or group in logs: "VRRP_Instance(VI_1)".
  void Add(const std::string& lane, std::vector<Command> commands,
           TimePoint now);
  // A process ended; starts its instance's next command. False if the pid
  // is not a notify command's.
  bool OnExit(pid_t pid, TimePoint now);
  void KillOverdue(TimePoint now);
  std::optional<TimePoint> NextDeadline() const;
  bool idle() const;

 private:
  struct Lane {
    std::deque<Command> waiting;
    pid_t running = 0;
    TimePoint deadline;
    bool killed = false;
  };
  void StartNext(const std::string& instance, Lane& lane, TimePoint now);
  void ForgetIfIdle(std::map<std::string, Lane>::iterator it);

  Starter start_;
  Killer kill_;
  std::map<std::string, Lane> lanes_;
};

}  // namespace vigil::checker
