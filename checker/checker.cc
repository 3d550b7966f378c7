#include "checker/checker.h"

#include <signal.h>
#include <sys/wait.h>

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
      brain_(std::move(brain)) {}

absl::Status Checker::Start(const config::Config& config) {
  // Only tracked scripts run: an untracked one could not change anything.
  std::set<std::string> tracked;
  for (const auto& instance : config.instances())
    for (const auto& track : instance.track_scripts())
      tracked.insert(track.name());
  TimePoint now = clock_->Now();
  for (const config::VrrpScript& s : config.scripts()) {
    if (!tracked.count(s.name())) {
      LOG_WARNING("VRRP_Script(%s) is not tracked by any instance; not run",
                  s.name());
      continue;
    }
    scripts_.push_back(Script{s,
                              ScriptState(s.rise(), s.fall(), !s.init_fail()),
                              now, 0, now, false});
  }
  RETURN_IF_ERROR(loop_->WatchSignal(SIGCHLD, [this] { OnChildExit(); }));
  for (int signo : {SIGTERM, SIGINT}) {
    RETURN_IF_ERROR(loop_->WatchSignal(signo, [this] { Stop(); }));
  }
  RETURN_IF_ERROR(loop_->WatchFd(agent_.fd(), [this] {
    ipc::AgentToChecker message;
    absl::StatusOr<bool> got = agent_.Receive(&message);
    if (!got.ok() || (*got && message.has_shutdown())) Stop();
  }));
  RearmTimer();
  return absl::OkStatus();
}

void Checker::OnTimer() {
  TimePoint now = clock_->Now();
  for (Script& script : scripts_) {
    if (script.pid != 0) {
      if (now >= script.kill_at && !script.timed_out) {
        script.timed_out = true;
        KillScript(script.pid);
      }
      continue;
    }
    if (now < script.next_run) continue;
    script.next_run = now + Ms(script.config.interval_ms());
    absl::StatusOr<pid_t> pid =
        StartScript({script.config.argv().begin(), script.config.argv().end()});
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

void Checker::OnChildExit() {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (Script& script : scripts_) {
      if (script.pid != pid) continue;
      script.pid = 0;
      if (script.timed_out) {
        Finish(script, false, "timed out");
      } else {
        bool success = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        Finish(script, success, DescribeWaitStatus(status));
      }
    }
  }
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
  ipc::CheckerToBrain report;
  report.mutable_script_state()->set_script(script.config.name());
  report.mutable_script_state()->set_up(success);
  if (absl::Status s = brain_.Send(report); !s.ok())
    LOG_ERROR("%s", s.ToString());
}

void Checker::RearmTimer() {
  std::optional<TimePoint> earliest;
  for (const Script& script : scripts_) {
    TimePoint t = script.pid != 0 ? script.kill_at : script.next_run;
    if (script.pid != 0 && script.timed_out) continue;  // waiting for the reap
    if (!earliest || t < *earliest) earliest = t;
  }
  loop_->SetTimer(earliest, [this] { OnTimer(); });
}

void Checker::Stop() {
  for (Script& script : scripts_)
    if (script.pid != 0) KillScript(script.pid);
  loop_->Stop();
}

}  // namespace vigil::checker
