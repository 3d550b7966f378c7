// The agent's two children: starting them, watching them, and starting
// again the one that died, without letting the crash move a VIP.

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>

#include "common/log.h"
#include "common/status_macros.h"
#include "common/wait_status.h"
#include "netagent/agent.h"
#include "netagent/control_socket.h"
#include "netagent/notify_fifo.h"
#include "netagent/supervisor.h"

namespace vigil::agent {
namespace {

// How long the brain has to send its priority-0 adverts and exit.
constexpr Duration kShutdownGrace = std::chrono::seconds(3);

// "--cpus=1" for a child with CPUs planned, nothing otherwise.
void AddCpus(const CpuSet& cpus, std::vector<std::string>* args) {
  if (!cpus.empty()) args->push_back("--cpus=" + FormatCpus(cpus));
}

}  // namespace

CpuRequest CpuRequestFor(const config::GlobalDefs& global) {
  CpuRequest request;
  request.vrrp.assign(global.vrrp_cpus().begin(), global.vrrp_cpus().end());
  request.checker.assign(global.checker_cpus().begin(),
                         global.checker_cpus().end());
  request.separate = !global.vrrp_no_cpu_affinity();
  return request;
}

// Before the children start: they take their CPUs from their command line,
// vigild restricts itself here.
void Agent::PlaceOnCpus() {
  absl::StatusOr<CpuSet> allowed = AllowedCpus();
  if (!allowed.ok()) {
    LOG_WARNING("CPU affinity left as it is: %s", allowed.status().message());
    return;
  }
  cpus_ = PlanCpus(*allowed, CpuRequestFor(config_.global()));
  for (const std::string& problem : cpus_.problems)
    LOG_WARNING("%s: %s", config_.source(), problem);
  if (!cpus_.agent.empty()) {
    if (absl::Status s = RunOnCpus(cpus_.agent); !s.ok()) {
      LOG_WARNING("vigild stays on CPU %s: %s", FormatCpus(*allowed),
                  s.message());
      cpus_.agent.clear();
    }
  }
  auto where = [&](const CpuSet& cpus) {
    return cpus.empty() ? FormatCpus(*allowed) : FormatCpus(cpus);
  };
  LOG_INFO("CPUs: vigil-vrrp on %s, vigild on %s, vigil-checker on %s",
           where(cpus_.brain), where(cpus_.agent), where(cpus_.checker));
}

absl::Status Agent::SpawnChildren() {
  // The brain's jail: an empty directory nobody but root can write.
  std::error_code error;
  std::filesystem::create_directories(options_.chroot_dir, error);
  chmod(options_.chroot_dir.c_str(), 0555);
  if (!std::filesystem::is_empty(options_.chroot_dir, error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "chroot directory ", options_.chroot_dir, " is not empty"));
  }
  // Opened once: after the capability drop the agent could not open a FIFO
  // owned by the script user again, and a new checker gets this one.
  if (const std::string& path = config_.global().notify_fifo(); !path.empty()) {
    ASSIGN_OR_RETURN(notify_fifo_, OpenNotifyFifo(path, checker_user_.uid,
                                                  checker_user_.gid));
  }
  ASSIGN_OR_RETURN(auto peers, IpcChannel::CreatePair());
  RETURN_IF_ERROR(SpawnBrain(std::move(peers.first), {}));
  RETURN_IF_ERROR(SpawnChecker(std::move(peers.second)));
  LOG_INFO(
      "started vigil-vrrp (pid %d, user %s) and vigil-checker (pid %d, user "
      "%s)",
      brain_.pid, brain_user_.name, checker_.pid, checker_user_.name);
  return absl::OkStatus();
}

std::vector<std::string> Agent::ChildArgs(const UserIds& user) const {
  std::vector<std::string> args;
  if (options_.log_console) args.push_back("-l");
  if (options_.log_detail) args.push_back("-D");
  args.push_back("--seccomp=" + options_.seccomp);
  args.push_back("--user=" + user.name);
  return args;
}

// Through the launcher, with a new agent channel on fd 3 and `peer` on fd 4.
absl::Status Agent::StartProcess(Child& child, const std::string& path,
                                 const std::vector<std::string>& args,
                                 UniqueFd peer) {
  ASSIGN_OR_RETURN(auto channel, IpcChannel::CreatePair());
  ASSIGN_OR_RETURN(
      child.pid,
      launcher_->Launch(path, args, channel.second.get(), peer.get()));
  child.started = clock_->Now();
  child.channel.emplace(std::move(channel.first),
                        &child == &brain_ ? "brain" : "checker");
  return absl::OkStatus();
}

absl::Status Agent::SpawnBrain(UniqueFd peer,
                               const std::vector<std::string>& resume) {
  std::vector<std::string> args = ChildArgs(brain_user_);
  args.push_back("--chroot=" + options_.chroot_dir);
  const config::GlobalDefs& global = config_.global();
  args.push_back(absl::StrCat("--realtime=", global.vrrp_rt_priority()));
  args.push_back(absl::StrCat("--nice=", global.vrrp_nice()));
  args.push_back(
      absl::StrCat("--realtime-burst-us=", global.vrrp_rlimit_rttime_us()));
  AddCpus(cpus_.brain, &args);
  if (options_.test_brain_forbidden_syscall)
    args.push_back("--test-forbidden-syscall");
  RETURN_IF_ERROR(StartProcess(brain_, FindChildren(options_.libexec_dir).brain,
                               args, std::move(peer)));

  // Sockets go to the brain; the agent keeps no copy.
  ipc::AgentToBrain message;
  ipc::BrainSetup* setup = message.mutable_setup();
  *setup->mutable_config() = BrainConfig();
  setup->set_detailed_log(options_.log_detail);
  setup->set_restarted(brain_.restarts.streak() > 0);
  for (const std::string& name : resume) setup->add_resume_master(name);
  std::vector<UniqueFd> sockets;
  RETURN_IF_ERROR(AddBrainSockets(network_, nullptr, setup, &sockets));
  std::vector<int> raw_fds;
  for (const UniqueFd& fd : sockets) raw_fds.push_back(fd.get());
  if (control_listener_.valid()) {
    setup->set_control_attached(true);
    setup->set_control_gid(control_gid_);
    raw_fds.push_back(control_listener_.get());
  }
  if (metrics_listener_.valid()) {
    setup->set_metrics_attached(true);
    raw_fds.push_back(metrics_listener_.get());
  }
  RETURN_IF_ERROR(brain_.channel->Send(message, raw_fds));
  RETURN_IF_ERROR(
      loop_->WatchFd(brain_.channel->fd(), [this] { OnBrainReadable(); }));
  for (const auto& [name, up] : link_up_) SendLinkState(name, up);
  return absl::OkStatus();
}

absl::Status Agent::SpawnChecker(UniqueFd peer) {
  std::vector<std::string> args = ChildArgs(checker_user_);
  if (checker_user_.uid == 0) args.push_back("--allow-root");
  AddCpus(cpus_.checker, &args);
  if (!cpus_.scripts.empty())
    args.push_back("--script-cpus=" + FormatCpus(cpus_.scripts));
  RETURN_IF_ERROR(StartProcess(checker_,
                               FindChildren(options_.libexec_dir).checker, args,
                               std::move(peer)));
  ipc::AgentToChecker message;
  *message.mutable_setup() = CheckerConfig();
  std::vector<int> fds;
  if (notify_fifo_.valid()) {
    fds.push_back(notify_fifo_.get());
    message.mutable_setup()->set_notify_fifo_attached(true);
  }
  return checker_.channel->Send(message, fds);
}

void Agent::OnChildExit() {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    if (pid == launcher_->pid() && launcher_->running()) {
      OnLauncherExit(status);
      continue;
    }
    Child* child = pid == brain_.pid     ? &brain_
                   : pid == checker_.pid ? &checker_
                                         : nullptr;
    if (child == nullptr) continue;
    child->pid = 0;
    if (child == &brain_) {
      OnBrainReadable();  // apply what it sent before it went
      if (brain_.channel) loop_->UnwatchFd(brain_.channel->fd());
      if (stopping_) RemoveAllVips("the VRRP process has exited");
    }
    child->channel.reset();
    if (!stopping_) OnChildCrash(*child, status);
  }
  StopIfChildrenGone();
}

// Supervision. A dead checker costs nothing but time: the brain keeps the
// tracker states it last heard. A dead brain is restarted at once and told
// which instances were master, so it resumes them before any backup's
// Master_Down_Interval runs out; the VIPs stay. If that restart must wait
// (crash loop), or the new brain does not claim an instance within two of
// its advert intervals, the VIPs go first, so a backup never takes over
// while they are still here.
void Agent::OnChildCrash(Child& child, int status) {
  TimePoint now = clock_->Now();
  RestartPolicy::Decision decision = child.restarts.OnCrash(child.started, now);
  if (decision.give_up) {
    LOG_ERROR("%s %s; it crashed %d times in a row; giving up", child.name,
              DescribeWaitStatus(status), child.restarts.streak());
    BeginShutdown("a child keeps crashing", 1);
    return;
  }
  double delay_s = std::chrono::duration<double>(decision.delay).count();
  LOG_ERROR("%s %s; starting it again in %.1f s (crash %d in a row)",
            child.name, DescribeWaitStatus(status), delay_s,
            child.restarts.streak());
  if (&child == &brain_) {
    if (decision.delay == Duration(0)) {
      AwaitResume(now);
    } else {
      // Nothing to resume: a crash during an earlier resume must not leave
      // names behind for the brain started after the wait.
      unresumed_.Clear();
      resume_deadline_.reset();
      RemoveAllVips("the VRRP process is down");
    }
  }
  child.restart_at = now + decision.delay;
  RestartDueChildren();
}

void Agent::AwaitResume(TimePoint now) {
  unresumed_ = active_;
  if (unresumed_.empty()) return;
  int shortest_cs = 0;
  for (const config::VrrpInstance& instance : unresumed_.Decoded()) {
    int cs = static_cast<int>(instance.advert_int_cs());
    shortest_cs = shortest_cs == 0 ? cs : std::min(shortest_cs, cs);
  }
  resume_deadline_ = now + Duration(int64_t{2} * shortest_cs * 10'000);
}

void Agent::WithdrawUnresumed() {
  resume_deadline_.reset();
  for (const config::VrrpInstance& instance : unresumed_.Decoded()) {
    LOG_WARNING(
        "VRRP_Instance(%s) the restarted VRRP process did not resume it in "
        "time; removing its VIPs",
        instance.name());
    if (absl::Status s = SetActive(instance, false); !s.ok())
      LOG_ERROR("VRRP_Instance(%s) %s", instance.name(), s.ToString());
  }
  unresumed_.Clear();
}

void Agent::RestartDueChildren() {
  TimePoint now = clock_->Now();
  for (Child* child : {&brain_, &checker_}) {
    if (!child->restart_at || now < *child->restart_at || stopping_) continue;
    child->restart_at.reset();
    if (absl::Status s = RestartChild(*child); !s.ok()) {
      LOG_ERROR("cannot start %s again: %s", child->name, s.ToString());
      BeginShutdown("a child could not be restarted", 1);
      return;
    }
    LOG_INFO("started %s again (pid %d)", child->name, child->pid);
  }
  RearmTimer();
}

// The survivor gets its end of a fresh brain-checker channel; a survivor
// that is itself waiting for a restart gets one when it starts.
absl::Status Agent::RestartChild(Child& child) {
  ASSIGN_OR_RETURN(auto peers, IpcChannel::CreatePair());
  Child& other = &child == &brain_ ? checker_ : brain_;
  UniqueFd other_end;
  if (&child == &brain_) {
    RETURN_IF_ERROR(SpawnBrain(std::move(peers.first), unresumed_.Names()));
    other_end = std::move(peers.second);
  } else {
    RETURN_IF_ERROR(SpawnChecker(std::move(peers.second)));
    other_end = std::move(peers.first);
  }
  if (!other.channel) return absl::OkStatus();
  int fd = other_end.get();
  if (&other == &brain_) {
    ipc::AgentToBrain message;
    message.mutable_peer_channel();
    return other.channel->Send(message, {&fd, 1});
  }
  ipc::AgentToChecker message;
  message.mutable_peer_channel();
  return other.channel->Send(message, {&fd, 1});
}

// Without the launcher no child can be started again (the agent's own filter
// forbids it), but those running carry on: vigild ends at the next crash,
// with the reason, rather than now.
void Agent::OnLauncherExit(int status) {
  launcher_->OnExit(DescribeWaitStatus(status));
  if (stopping_) return;
  LOG_ERROR(
      "vigil-launcher (pid %d) %s; a child that exits from now on ends "
      "vigild",
      launcher_->pid(), DescribeWaitStatus(status));
}

void Agent::StopIfChildrenGone() {
  if (!stopping_ || brain_.pid != 0 || checker_.pid != 0) return;
  RemoveAllVips("vigild is stopping");
  if (control_listener_.valid()) RemoveControlSocket(options_.control_socket);
  RemoveAcceptFilter();
  DeleteVmacs();
  loop_->Stop();
}

void Agent::BeginShutdown(const char* why, int exit_code) {
  if (stopping_) return;
  stopping_ = true;
  exit_code_ = exit_code;
  LOG_INFO("stopping (%s)", why);
  systemd_.Notify("STOPPING=1");
  brain_.restart_at.reset();
  checker_.restart_at.reset();
  ipc::AgentToBrain to_brain;
  to_brain.mutable_shutdown();
  if (brain_.channel) (void)brain_.channel->Send(to_brain);
  ipc::AgentToChecker to_checker;
  to_checker.mutable_shutdown();
  if (checker_.channel) (void)checker_.channel->Send(to_checker);
  kill_deadline_ = clock_->Now() + kShutdownGrace;
  RearmTimer();
  StopIfChildrenGone();
}

void Agent::KillLateChildren() {
  kill_deadline_.reset();
  for (Child* child : {&brain_, &checker_}) {
    if (child->pid == 0) continue;
    LOG_WARNING("%s did not stop in time; killing it", child->name);
    kill(child->pid, SIGKILL);
  }
}

}  // namespace vigil::agent
