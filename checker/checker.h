#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "checker/file_watcher.h"
#include "checker/notify_queue.h"
#include "checker/script_output.h"
#include "checker/script_state.h"
#include "common/clock.h"
#include "common/event_loop.h"
#include "common/ipc_channel.h"
#include "proto/ipc.pb.h"

namespace vigil::checker {

// Runs each tracked vrrp_script on its interval, bounded by its timeout,
// applies rise/fall and reports state changes to the brain; runs the notify
// scripts of the transitions the brain reports.
// Runs in: checker (unprivileged, the script user). Input: the agent's setup;
// script exit statuses; transitions from the brain (untrusted: only
// configured instances and states, so at most configured commands run).
class Checker {
 public:
  Checker(EventLoop* loop, Clock* clock, IpcChannel agent, IpcChannel brain);
  // `fifo`: the notify FIFO when the config has one (the agent opened it).
  absl::Status Start(const config::Config& config, UniqueFd fifo);

 private:
  struct Script {
    config::VrrpScript config;
    ScriptState state;
    TimePoint next_run;
    pid_t pid = 0;  // running if non-zero
    TimePoint kill_at;
    bool timed_out = false;
    bool reported = false;                 // a state went to the brain
    std::optional<ScriptOutput> output{};  // of the current or last run
    bool output_done = false;              // end of file seen, fd unwatched
  };

  void Configure(const config::Config& config);
  void OnAgentReadable();
  void OnTimer();
  void OnBrainReadable();
  void OnTransition(const ipc::InstanceState& transition);
  void OnChildExit();
  absl::StatusOr<pid_t> StartWithOutput(Script& script);
  void OnOutput(int fd);
  void CloseOutput(Script& script);
  std::string DescribeRun(Script& script, int status);
  void Finish(Script& script, bool success, const std::string& how);
  void Report(Script& script);
  void TakeBrainChannel(UniqueFd fd);
  void TakeKnownStates(const ipc::KnownStates& known);
  static std::string NotifyLane(const std::string& name, bool group);
  void WriteFifo(const ipc::InstanceState& transition);
  void WatchFiles(const config::Config& config);
  void OnFilesChanged();
  void ReportFile(const std::string& name, int64_t value);
  void StartFifoScript(const config::GlobalDefs& global);
  void RearmTimer();
  void Stop();
  void StopWhenNotified();

  EventLoop* loop_;
  Clock* clock_;
  IpcChannel agent_;
  IpcChannel brain_;
  std::vector<Script> scripts_;
  // Every configured instance and group, by group (true) or instance and
  // by name: its notify scripts, null when it has none (the common case at
  // scale: an empty NotifyScripts message takes ~200 bytes), and the last
  // state notified. One map, not one per purpose: each cost 80 kB at 1,000
  // instances.
  struct Notified {
    std::unique_ptr<const config::NotifyScripts> scripts;
    ipc::InstanceState::State last = ipc::InstanceState::UNKNOWN;  // none yet
  };
  std::map<std::pair<bool, std::string>, Notified> notified_;
  void ConfigureNotify(const config::Config& config);
  static std::unique_ptr<const config::NotifyScripts> NotifyOf(
      const config::NotifyScripts& scripts);
  // A state the previous checker notified, unless we know a later one.
  void TakeKnownState(bool group, const std::string& name,
                      ipc::InstanceState::State state);
  NotifyQueue notify_;
  // Stopping: no more checks; the notify scripts the brain still reports
  // (notify_stop) run before the checker leaves.
  bool stopping_ = false;
  bool brain_gone_ = false;
  bool started_ = false;
  UniqueFd fifo_;
  std::optional<FileWatcher> files_;
  std::map<std::string, std::string> file_paths_;  // track_file name -> path
  std::map<std::string, int64_t> file_values_;     // as last reported
  pid_t fifo_script_ = 0;
  uint64_t fifo_lines_lost_ = 0;
};

}  // namespace vigil::checker
