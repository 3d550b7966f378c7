#include "netagent/launcher.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/numbers.h"
#include "common/log.h"
#include "common/program_syscalls.h"
#include "common/resource_limits.h"
#include "common/sandbox.h"
#include "common/status_macros.h"
#include "netagent/agent_syscalls.h"
#include "netagent/supervisor.h"
#include "proto/ipc.pb.h"

namespace vigil::agent {
namespace {

// The launcher answers at once (it does not wait for the exec); this only
// bounds a launcher that hangs.
constexpr int kReplyTimeoutMs = 5000;

ipc::LaunchResult Failure(std::string error) {
  ipc::LaunchResult result;
  result.set_error(std::move(error));
  return result;
}

ipc::LaunchResult StartChild(const ipc::LaunchRequest& request,
                             const std::vector<UniqueFd>& fds) {
  if (fds.size() != 2) return Failure("a launch needs two channel fds");
  const std::string& path = request.path();
  if (access(path.c_str(), X_OK) != 0)
    return Failure(path + ": " + std::strerror(errno));
  std::vector<std::string> args(request.args().begin(), request.args().end());
  // CLONE_PARENT: the child is the agent's, not ours. The kernel then uses
  // our own exit signal (SIGCHLD) and refuses any other.
  clone_args clone{};
  clone.flags = CLONE_PARENT;
  long pid = syscall(SYS_clone3, &clone, sizeof clone);
  if (pid < 0) return Failure(std::string("clone3: ") + std::strerror(errno));
  if (pid == 0) ExecChild(path, args, fds[0].get(), fds[1].get());
  LOG_DEBUG("started %s (pid %ld)", path, pid);
  ipc::LaunchResult result;
  result.set_pid(static_cast<int32_t>(pid));
  return result;
}

[[noreturn]] void Serve(IpcChannel& agent) {
  for (;;) {
    pollfd ready{agent.fd(), POLLIN, 0};
    if (poll(&ready, 1, -1) < 0) {
      if (errno == EINTR) continue;
      _exit(1);
    }
    ipc::LaunchRequest request;
    std::vector<UniqueFd> fds;
    absl::StatusOr<bool> got = agent.Receive(&request, &fds);
    if (!got.ok() && absl::IsUnavailable(got.status())) _exit(0);  // agent gone
    if (got.ok() && !*got) continue;
    ipc::LaunchResult result =
        got.ok() ? StartChild(request, fds) : Failure(got.status().ToString());
    if (!agent.Send(result).ok()) _exit(1);
  }
}

// The forked side: sandbox itself, then serve the agent until it goes.
[[noreturn]] void RunLauncher(UniqueFd fd, pid_t agent, SeccompMode seccomp,
                              bool log_console, bool log_detail) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != agent) _exit(0);
  prctl(PR_SET_NAME, "vigil-launcher");
  // Stopping is the agent's business: a signal meant for the whole group or
  // cgroup (Ctrl-C, systemd's stop) stays pending here; the launcher goes
  // when the agent closes its channel or dies. Children unblock everything.
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  InitLog({"vigil-launcher", log_console, log_detail});
  // The filter needs CAP_SYS_ADMIN to be loaded without no_new_privs, which
  // a child executed as root needs to keep its capabilities: so it comes
  // first, and the capability drop after it.
  absl::Status status =
      InstallSeccomp(LauncherSyscalls(), ProgramRefusedSyscalls(), seccomp,
                     /*keep_exec_privileges=*/true);
  if (status.ok())
    status = KeepOnlyCapabilities({}, Launcher::BoundingCapabilities());
  if (!status.ok()) {
    LOG_ERROR("cannot sandbox the launcher: %s", status.ToString());
    _exit(1);
  }
  LOG_DEBUG("ready: no capabilities but, in the bounding set, %s",
            DescribeCapabilities(Launcher::BoundingCapabilities()));
  ReturnFreeMemory();  // building the filter took ~0.3 MB
  IpcChannel channel(std::move(fd), "vigild");
  Serve(channel);
}

}  // namespace

const std::vector<int>& Launcher::BoundingCapabilities() {
  // Not usable by the launcher: a child executed as root starts with them,
  // and needs them to chroot and switch to its user (and clear its own
  // bounding set); the brain, to make itself real-time first.
  static const std::vector<int> kBounding = {
      CAP_SETUID, CAP_SETGID, CAP_SETPCAP, CAP_SYS_CHROOT, CAP_SYS_NICE};
  return kBounding;
}

Launcher::Launcher(pid_t pid, UniqueFd channel)
    : pid_(pid),
      channel_(std::in_place, std::move(channel), "vigil-launcher") {}

namespace {

// Returns only if vigild cannot be executed again (no /proc): the forked
// copy then serves as it is.
void ExecLauncher(const UniqueFd& fd, pid_t agent, SeccompMode seccomp,
                  bool log_console, bool log_detail) {
  if (fcntl(fd.get(), F_SETFD, 0) != 0) return;  // kept across the exec
  std::vector<std::string> args = {"vigil-launcher",
                                   Launcher::kFlag,
                                   std::to_string(fd.get()),
                                   std::to_string(agent),
                                   SeccompModeName(seccomp),
                                   log_console ? "console" : "syslog",
                                   log_detail ? "detail" : "brief"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv("/proc/self/exe", argv.data());
  (void)fcntl(fd.get(), F_SETFD, FD_CLOEXEC);
}

}  // namespace

absl::StatusOr<Launcher> Launcher::Start(SeccompMode seccomp, bool log_console,
                                         bool log_detail) {
  ASSIGN_OR_RETURN(auto ends, IpcChannel::CreatePair());
  pid_t agent = getpid();
  pid_t pid = fork();
  if (pid < 0) return ErrnoStatus(errno, "fork");
  if (pid == 0) {
    ends.first.Reset();
    ExecLauncher(ends.second, agent, seccomp, log_console, log_detail);
    RunLauncher(std::move(ends.second), agent, seccomp, log_console,
                log_detail);
  }
  return Launcher(pid, std::move(ends.first));
}

void Launcher::RunFromArgs(int argc, char** argv) {
  int fd = -1;
  pid_t agent = 0;
  absl::StatusOr<SeccompMode> seccomp = absl::InvalidArgumentError("");
  if (argc == 7 && absl::SimpleAtoi(argv[2], &fd) &&
      absl::SimpleAtoi(argv[3], &agent)) {
    seccomp = ParseSeccompMode(argv[4]);
  }
  if (fd < 3 || !seccomp.ok()) {
    std::fprintf(stderr, "%s is vigild's own; not for use by hand\n", kFlag);
    _exit(2);
  }
  RunLauncher(UniqueFd(fd), agent, *seccomp,
              std::strcmp(argv[5], "console") == 0,
              std::strcmp(argv[6], "detail") == 0);
}

absl::StatusOr<pid_t> Launcher::Launch(const std::string& path,
                                       const std::vector<std::string>& args,
                                       int agent_channel, int peer_channel) {
  if (!channel_) {
    return absl::UnavailableError(
        absl::StrCat("vigil-launcher (pid ", pid_, ") ", exit_description_,
                     "; no child can be started until vigild is restarted"));
  }
  ipc::LaunchRequest request;
  request.set_path(path);
  for (const std::string& arg : args) request.add_args(arg);
  int fds[] = {agent_channel, peer_channel};
  RETURN_IF_ERROR(channel_->Send(request, fds));
  pollfd ready{channel_->fd(), POLLIN, 0};
  if (poll(&ready, 1, kReplyTimeoutMs) <= 0)
    return absl::DeadlineExceededError("vigil-launcher did not answer");
  ipc::LaunchResult result;
  ASSIGN_OR_RETURN(bool got, channel_->Receive(&result));
  if (!got) return absl::InternalError("vigil-launcher sent no answer");
  if (!result.error().empty())
    return absl::FailedPreconditionError(result.error());
  return static_cast<pid_t>(result.pid());
}

}  // namespace vigil::agent
