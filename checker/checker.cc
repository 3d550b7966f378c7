#include "checker/checker.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "checker/script_runner.h"
#include "common/log.h"
#include "common/status_macros.h"

namespace vigil::checker {
namespace {

Duration Ms(uint32_t ms) { return Duration(int64_t{ms} * 1000); }

}  // namespace

Checker::Checker(EventLoop* loop, Clock* clock, IpcChannel agent,
                 IpcChannel brain)
    : loop_(loop),
      clock_(clock),
      agent_(std::move(agent)),
      brain_(std::move(brain)),
      notify_(StartScript, KillScript) {}

absl::Status Checker::Start(const config::Config& config, UniqueFd fifo) {
  fifo_ = std::move(fifo);
  Configure(config);
  RETURN_IF_ERROR(loop_->WatchSignal(SIGCHLD, [this] { OnChildExit(); }));
  for (int signo : {SIGTERM, SIGINT}) {
    RETURN_IF_ERROR(loop_->WatchSignal(signo, [this] { Stop(); }));
  }
  RETURN_IF_ERROR(loop_->WatchFd(agent_.fd(), [this] { OnAgentReadable(); }));
  RETURN_IF_ERROR(loop_->WatchFd(brain_.fd(), [this] { OnBrainReadable(); }));
  StartFifoScript(config.global());
  RearmTimer();
  return absl::OkStatus();
}

// notify_fifo_script reads the FIFO for the whole run; it gets the path as
// its last argument, as in keepalived.
void Checker::StartFifoScript(const config::GlobalDefs& global) {
  if (global.notify_fifo_script().empty() || !fifo_.valid()) return;
  Command argv(global.notify_fifo_script().begin(),
               global.notify_fifo_script().end());
  argv.push_back(global.notify_fifo());
  absl::StatusOr<pid_t> pid = StartScript(argv);
  if (!pid.ok()) {
    LOG_ERROR("notify_fifo_script did not start: %s", pid.status().ToString());
    return;
  }
  fifo_script_ = *pid;
}

// One line per transition, in order, never blocking: with no reader and a
// full pipe the line is lost and counted.
void Checker::WriteFifo(const ipc::InstanceState& transition) {
  if (!fifo_.valid()) return;
  std::string line = absl::StrCat(
      transition.group() ? "GROUP" : "INSTANCE", " \"", transition.instance(),
      "\" ", ipc::InstanceState::State_Name(transition.state()), " ",
      transition.priority(), "\n");
  if (write(fifo_.get(), line.data(), line.size()) ==
      static_cast<ssize_t>(line.size())) {
    return;
  }
  if (++fifo_lines_lost_ == 1 || fifo_lines_lost_ % 100 == 0) {
    LOG_WARNING("notify FIFO full or closed; %d lines lost so far",
                fifo_lines_lost_);
  }
}

void Checker::OnAgentReadable() {
  for (;;) {
    ipc::AgentToChecker message;
    std::vector<UniqueFd> fds;
    absl::StatusOr<bool> got = agent_.Receive(&message, &fds);
    if (!got.ok() || (*got && message.has_shutdown())) return Stop();
    if (!*got) return;
    if (message.has_reload()) {
      Configure(message.reload().config());
      RearmTimer();
    } else if (message.has_peer_channel() && fds.size() == 1) {
      TakeBrainChannel(std::move(fds[0]));
    }
  }
}

// The brain was restarted: this is the channel to the new one, which knows
// nothing yet. It gets every state we hold, then Synced.
void Checker::TakeBrainChannel(UniqueFd fd) {
  if (!brain_gone_) loop_->UnwatchFd(brain_.fd());
  brain_ = IpcChannel(std::move(fd), "brain");
  brain_gone_ = false;
  if (absl::Status s =
          loop_->WatchFd(brain_.fd(), [this] { OnBrainReadable(); });
      !s.ok()) {
    LOG_ERROR("new brain channel: %s", s.ToString());
  }
  for (Script& script : scripts_) Report(script);
  for (const auto& [name, value] : file_values_) ReportFile(name, value);
  ipc::CheckerToBrain synced;
  synced.mutable_synced();
  if (absl::Status s = brain_.Send(synced); !s.ok())
    LOG_ERROR("new brain channel: %s", s.ToString());
  LOG_INFO(
      "connected to the restarted VRRP process; resent %d script and %d "
      "file states",
      scripts_.size(), file_values_.size());
}

// We were restarted: start each script from the state the brain holds, so
// that only a real change is reported, not our start-up default; and take
// the states the old checker had notified, so that no notify runs twice.
void Checker::TakeKnownStates(const ipc::KnownStates& known) {
  for (Script& script : scripts_) {
    auto it = known.scripts().find(script.config.name());
    if (it == known.scripts().end() || script.reported) continue;
    script.state =
        ScriptState(script.config.rise(), script.config.fall(), it->second);
  }
  for (const auto& [name, state] : known.instances())
    TakeKnownState(false, name, state);
  for (const auto& [name, state] : known.groups())
    TakeKnownState(true, name, state);
}

void Checker::TakeKnownState(bool group, const std::string& name,
                             ipc::InstanceState::State state) {
  auto it = notified_.find({group, name});
  if (it != notified_.end() && it->second.last == ipc::InstanceState::UNKNOWN)
    it->second.last = state;
}

// At start and on reload. A script whose definition did not change keeps its
// state, schedule and running process; a new or changed one starts afresh and
// its first state goes to the brain, which may remember an older one.
void Checker::Configure(const config::Config& config) {
  ConfigureNotify(config);
  // Only tracked scripts run: an untracked one could not change anything.
  std::set<std::string> tracked;
  for (const auto& instance : config.instances())
    for (const auto& track : instance.track_scripts())
      tracked.insert(track.name());
  bool reload = started_;
  started_ = true;
  TimePoint now = clock_->Now();
  std::vector<Script> next;
  for (const config::VrrpScript& s : config.scripts()) {
    if (!tracked.count(s.name())) {
      if (!reload) {
        LOG_WARNING("VRRP_Script(%s) is not tracked by any instance; not run",
                    s.name());
      }
      continue;
    }
    auto same = std::find_if(scripts_.begin(), scripts_.end(), [&](auto& old) {
      return old.config.SerializeAsString() == s.SerializeAsString();
    });
    if (same != scripts_.end()) {
      next.push_back(std::move(*same));
      scripts_.erase(same);
      continue;
    }
    next.push_back(Script{
        .config = s,
        .state = ScriptState(s.rise(), s.fall(), !s.init_fail()),
        .next_run = now,
        .kill_at = now,
    });
    if (reload) Report(next.back());
  }
  for (Script& gone : scripts_) {
    if (gone.pid != 0) KillScript(gone.pid);
    CloseOutput(gone);
  }
  scripts_ = std::move(next);
  WatchFiles(config);
}

// The track_files any instance uses: watched from now on, and every value
// reported (after a reload too, so new instances learn them).
void Checker::WatchFiles(const config::Config& config) {
  if (files_) loop_->UnwatchFd(files_->fd());
  files_.reset();
  file_paths_.clear();
  file_values_.clear();
  for (const config::VrrpInstance& instance : config.instances()) {
    for (const config::TrackFile& track : instance.track_files()) {
      for (const config::VrrpTrackFile& file : config.track_files())
        if (file.name() == track.name()) file_paths_[file.name()] = file.path();
    }
  }
  if (file_paths_.empty()) return;
  absl::StatusOr<FileWatcher> watcher = FileWatcher::Open();
  if (!watcher.ok()) {
    LOG_ERROR("track_file: %s", watcher.status().ToString());
    return;
  }
  files_.emplace(std::move(*watcher));
  for (const auto& [name, path] : file_paths_) {
    if (absl::Status s = files_->Watch(name, path); !s.ok())
      LOG_ERROR("track_file(%s) %s", name, s.ToString());
    ReportFile(name, ReadTrackValue(path));
  }
  if (absl::Status s =
          loop_->WatchFd(files_->fd(), [this] { OnFilesChanged(); });
      !s.ok()) {
    LOG_ERROR("track_file: %s", s.ToString());
  }
}

void Checker::OnFilesChanged() {
  for (const std::string& name : files_->Drain()) {
    int64_t value = ReadTrackValue(file_paths_[name]);
    if (file_values_[name] == value) continue;
    LOG_INFO("track_file(%s) now holds %d", name, value);
    ReportFile(name, value);
  }
}

void Checker::ReportFile(const std::string& name, int64_t value) {
  file_values_[name] = value;
  ipc::CheckerToBrain report;
  report.mutable_file_state()->set_file(name);
  report.mutable_file_state()->set_value(value);
  if (absl::Status s = brain_.Send(report); !s.ok())
    LOG_ERROR("%s", s.ToString());
}

void Checker::OnBrainReadable() {
  for (;;) {
    ipc::BrainToChecker message;
    absl::StatusOr<bool> got = brain_.Receive(&message);
    if (!got.ok()) {
      if (got.status().code() == absl::StatusCode::kUnavailable) {
        loop_->UnwatchFd(brain_.fd());
        brain_gone_ = true;
        StopWhenNotified();
        return;
      }
      LOG_ERROR("refused a brain message: %s", got.status().message());
      continue;
    }
    if (!*got) break;
    if (message.has_instance_state()) OnTransition(message.instance_state());
    if (message.has_known_states()) TakeKnownStates(message.known_states());
  }
  RearmTimer();
}

// Instances and groups that stay keep their last state.
void Checker::ConfigureNotify(const config::Config& config) {
  std::map<std::pair<bool, std::string>, Notified> next;
  auto add = [&](bool group, const std::string& name,
                 const config::NotifyScripts& scripts) {
    Notified& entry = next[{group, name}];
    entry.scripts = NotifyOf(scripts);
    if (auto it = notified_.find({group, name}); it != notified_.end())
      entry.last = it->second.last;
  };
  for (const config::VrrpInstance& instance : config.instances())
    add(false, instance.name(), instance.notify());
  for (const config::SyncGroup& group : config.sync_groups())
    add(true, group.name(), group.notify());
  notified_ = std::move(next);
}

std::unique_ptr<const config::NotifyScripts> Checker::NotifyOf(
    const config::NotifyScripts& scripts) {
  if (scripts.ByteSizeLong() == 0) return nullptr;
  return std::make_unique<const config::NotifyScripts>(scripts);
}

// Groups and instances have their own lanes: each keeps its own order.
std::string Checker::NotifyLane(const std::string& name, bool group) {
  return absl::StrCat(group ? "VRRP_Group(" : "VRRP_Instance(", name, ")");
}

void Checker::OnTransition(const ipc::InstanceState& transition) {
  bool group = transition.group();
  const char* kind = group ? "GROUP" : "INSTANCE";
  auto it = notified_.find({group, transition.instance()});
  if (it == notified_.end() || transition.priority() > 255) {
    LOG_ERROR("refused a transition for unknown %s '%s' (priority %d)", kind,
              transition.instance(), transition.priority());
    return;
  }
  const std::string& name = it->first.second;
  Notified& notified = it->second;
  // A restarted brain reports the state it resumed in; that is no transition.
  if (std::exchange(notified.last, transition.state()) == transition.state()) {
    LOG_DEBUG("%s still %s; no notify", NotifyLane(name, group),
              ipc::InstanceState::State_Name(transition.state()));
    return;
  }
  WriteFifo(transition);
  notify_.Add(NotifyLane(name, group),
              NotifyCommands(
                  notified.scripts ? *notified.scripts
                                   : config::NotifyScripts::default_instance(),
                  kind, name, transition.state(), transition.priority()),
              clock_->Now());
}

void Checker::OnTimer() {
  TimePoint now = clock_->Now();
  notify_.KillOverdue(now);
  for (Script& script : scripts_) {
    if (stopping_) break;
    if (script.pid != 0) {
      if (now >= script.kill_at && !script.timed_out) {
        script.timed_out = true;
        KillScript(script.pid);
      }
      continue;
    }
    if (now < script.next_run) continue;
    script.next_run = now + Ms(script.config.interval_ms());
    absl::StatusOr<pid_t> pid = StartWithOutput(script);
    if (!pid.ok()) {
      Finish(script, false, pid.status().ToString());
      continue;
    }
    script.pid = *pid;
    script.timed_out = false;
    script.kill_at = now + Ms(script.config.timeout_ms());
  }
  RearmTimer();
}

// A check's stdout and stderr go to a pipe we read (ScriptOutput), so its
// first line can explain a failure and a flood of output costs nothing.
absl::StatusOr<pid_t> Checker::StartWithOutput(Script& script) {
  CloseOutput(script);
  ASSIGN_OR_RETURN(auto pipe, ScriptOutput::Open());
  auto& [output, script_end] = pipe;
  ASSIGN_OR_RETURN(pid_t pid, StartCheck({script.config.argv().begin(),
                                          script.config.argv().end()},
                                         script_end.get()));
  int fd = output.fd();
  script.output.emplace(std::move(output));
  RETURN_IF_ERROR(loop_->WatchFd(fd, [this, fd] { OnOutput(fd); }));
  return pid;
}

void Checker::OnOutput(int fd) {
  for (Script& script : scripts_) {
    if (!script.output || script.output->fd() != fd) continue;
    if (!script.output->Drain()) {
      loop_->UnwatchFd(fd);
      script.output_done = true;
    }
    return;
  }
  loop_->UnwatchFd(fd);  // its script is gone (reload)
}

void Checker::CloseOutput(Script& script) {
  if (script.output && !script.output_done)
    loop_->UnwatchFd(script.output->fd());
  script.output.reset();
  script.output_done = false;
}

// How a finished check ended, with the first line it wrote.
std::string Checker::DescribeRun(Script& script, int status) {
  std::string how = script.timed_out ? "timed out" : DescribeWaitStatus(status);
  if (!script.output) return how;
  if (!script.output_done) script.output->Drain();
  std::string line = script.output->FirstLine();
  if (!line.empty()) absl::StrAppend(&how, ": ", line);
  if (script.output->total_bytes() > ScriptOutput::kKeep) {
    absl::StrAppend(&how, " (", script.output->total_bytes(),
                    " bytes of output, first ", ScriptOutput::kKeep, " kept)");
  }
  return how;
}

void Checker::OnChildExit() {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    if (notify_.OnExit(pid, clock_->Now())) continue;
    if (pid == fifo_script_) {
      fifo_script_ = 0;
      if (!stopping_) {
        LOG_WARNING("notify_fifo_script %s", DescribeWaitStatus(status));
      }
      continue;
    }
    for (Script& script : scripts_) {
      if (script.pid != pid) continue;
      script.pid = 0;
      bool success =
          !script.timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
      std::string how = DescribeRun(script, status);
      // Whatever the script left running in the background loses its pipe.
      CloseOutput(script);
      Finish(script, success, how);
    }
  }
  StopWhenNotified();
  RearmTimer();
}

void Checker::Finish(Script& script, bool success, const std::string& how) {
  LOG_DEBUG("VRRP_Script(%s) %s", script.config.name(), how);
  if (!script.state.Record(success)) return;
  if (success) {
    LOG_INFO("VRRP_Script(%s) succeeded", script.config.name());
  } else {
    LOG_INFO("VRRP_Script(%s) failed (%s)", script.config.name(), how);
  }
  Report(script);
}

void Checker::Report(Script& script) {
  script.reported = true;
  ipc::CheckerToBrain report;
  report.mutable_script_state()->set_script(script.config.name());
  report.mutable_script_state()->set_up(script.state.up());
  if (absl::Status s = brain_.Send(report); !s.ok())
    LOG_ERROR("%s", s.ToString());
}

void Checker::RearmTimer() {
  std::optional<TimePoint> earliest = notify_.NextDeadline();
  for (const Script& script : scripts_) {
    if (stopping_) break;
    TimePoint t = script.pid != 0 ? script.kill_at : script.next_run;
    if (script.pid != 0 && script.timed_out) continue;  // waiting for the reap
    if (!earliest || t < *earliest) earliest = t;
  }
  loop_->SetTimer(earliest, [this] { OnTimer(); });
}

void Checker::Stop() {
  if (stopping_) return;
  stopping_ = true;
  for (Script& script : scripts_)
    if (script.pid != 0) KillScript(script.pid);
  StopWhenNotified();
  RearmTimer();
}

// The brain reports notify_stop transitions as it leaves; they run before the
// checker does (the agent's grace period bounds the wait).
void Checker::StopWhenNotified() {
  if (!stopping_ || !brain_gone_ || !notify_.idle()) return;
  if (fifo_script_ != 0) KillScript(fifo_script_);
  loop_->Stop();
}

}  // namespace vigil::checker
