#include "common/child_main.h"

#include <poll.h>
#include <signal.h>

#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/log.h"
#include "common/resource_limits.h"
#include "common/status_macros.h"

namespace vigil {
namespace {

constexpr int kSetupTimeoutMs = 10'000;

[[noreturn]] void Die(absl::string_view what, const absl::Status& status) {
  LOG_ERROR("%s: %s", what, status.ToString());
  std::exit(EXIT_FAILURE);
}

// --name=N with N in [lo, hi].
absl::StatusOr<int> NumberOption(absl::string_view arg, int lo, int hi) {
  absl::string_view value = arg.substr(arg.find('=') + 1);
  int number;
  if (!absl::SimpleAtoi(value, &number) || number < lo || number > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad value in '", arg, "': ", lo, " to ", hi));
  }
  return number;
}

// --name=LIST in the kernel's CPU list format.
absl::StatusOr<CpuSet> CpuOption(absl::string_view arg) {
  std::optional<CpuSet> cpus = ParseCpus(arg.substr(arg.find('=') + 1));
  if (!cpus)
    return absl::InvalidArgumentError(
        absl::StrCat("bad CPU list in '", arg, "'"));
  return std::move(*cpus);
}

// Before the sandbox: it needs CAP_SYS_NICE. SIGXCPU (the real-time burst
// limit) stays blocked until the program watches it, so that it cannot end
// the process while it starts.
void ApplyChildScheduling(const Scheduling& scheduling) {
  if (scheduling.realtime_priority == 0 && scheduling.nice == 0) return;
  sigset_t xcpu;
  sigemptyset(&xcpu);
  sigaddset(&xcpu, SIGXCPU);
  sigprocmask(SIG_BLOCK, &xcpu, nullptr);
  if (absl::Status s = ApplyScheduling(scheduling); !s.ok()) {
    LOG_WARNING(
        "cannot use %s (%s): running with normal scheduling, so timers may "
        "run late on a busy machine (vrrp_rt_priority 0 silences this)",
        DescribeScheduling(scheduling), s.message());
    return;
  }
  LOG_DEBUG("scheduling: %s", DescribeScheduling(scheduling));
}

}  // namespace

absl::StatusOr<ChildOptions> ParseChildOptions(int argc, char** argv) {
  ChildOptions options;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::StartsWith(arg, "--user=")) {
      options.user = std::string(arg.substr(7));
    } else if (absl::StartsWith(arg, "--chroot=")) {
      options.chroot_dir = std::string(arg.substr(9));
    } else if (arg == "--allow-root") {
      options.allow_root = true;
    } else if (arg == "-l") {
      options.log_console = true;
    } else if (arg == "-D") {
      options.log_detail = true;
    } else if (absl::StartsWith(arg, "--seccomp=")) {
      ASSIGN_OR_RETURN(options.seccomp, ParseSeccompMode(arg.substr(10)));
    } else if (absl::StartsWith(arg, "--realtime=")) {
      ASSIGN_OR_RETURN(options.scheduling.realtime_priority,
                       NumberOption(arg, 0, 99));
    } else if (absl::StartsWith(arg, "--nice=")) {
      ASSIGN_OR_RETURN(options.scheduling.nice, NumberOption(arg, -20, 19));
    } else if (absl::StartsWith(arg, "--realtime-burst-us=")) {
      ASSIGN_OR_RETURN(options.scheduling.realtime_burst_us,
                       NumberOption(arg, 0, 60'000'000));
    } else if (absl::StartsWith(arg, "--cpus=")) {
      ASSIGN_OR_RETURN(options.cpus, CpuOption(arg));
    } else if (absl::StartsWith(arg, "--script-cpus=")) {
      ASSIGN_OR_RETURN(options.script_cpus, CpuOption(arg));
    } else if (arg == "--test-forbidden-syscall") {
      options.test_forbidden_syscall = true;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown option '", arg, "' (this program is started by vigild)"));
    }
  }
  if (options.user.empty())
    return absl::InvalidArgumentError("--user is required");
  return options;
}

IpcChannel StartChild(int argc, char** argv, const char* ident, bool use_chroot,
                      google::protobuf::MessageLite* setup,
                      std::vector<UniqueFd>* fds) {
  absl::StatusOr<ChildOptions> options = ParseChildOptions(argc, argv);
  InitLog({ident, !options.ok() || options->log_console,
           options.ok() && options->log_detail});
  if (!options.ok()) Die("bad command line", options.status());

  ApplyChildScheduling(options->scheduling);
  if (!options->cpus.empty()) {
    if (absl::Status s = RunOnCpus(options->cpus); !s.ok())
      LOG_WARNING("running on the CPUs inherited: %s", s.message());
  }
  absl::StatusOr<UserIds> user = LookUpUser(options->user);
  if (!user.ok()) Die("cannot start", user.status());
  ChildSandbox sandbox{*user, use_chroot ? options->chroot_dir : "",
                       options->allow_root};
  if (absl::Status s = EnterChildSandbox(sandbox); !s.ok())
    Die("cannot drop privileges", s);
  LOG_DEBUG("running as %s (uid %d), no capabilities, no_new_privs", user->name,
            user->uid);

  IpcChannel agent(UniqueFd(kAgentChannelFd), "agent");
  pollfd p{kAgentChannelFd, POLLIN, 0};
  if (poll(&p, 1, kSetupTimeoutMs) != 1) {
    Die("no setup from the agent", absl::DeadlineExceededError("timed out"));
  }
  absl::StatusOr<bool> got = agent.Receive(setup, fds);
  if (!got.ok()) Die("bad setup from the agent", got.status());
  if (!*got) Die("no setup from the agent", absl::UnavailableError("empty"));
  return agent;
}

int RunChildLoop(const std::function<absl::Status(EventLoop*, Clock*)>& start) {
  absl::StatusOr<std::unique_ptr<EventLoop>> loop = EventLoop::Create();
  if (!loop.ok()) {
    LOG_ERROR("%s", loop.status().ToString());
    return EXIT_FAILURE;
  }
  RealClock clock;
  if (absl::Status s = start(loop->get(), &clock); !s.ok()) {
    LOG_ERROR("cannot start: %s", s.ToString());
    return EXIT_FAILURE;
  }
  ReturnFreeMemory();
  if (absl::Status s = (*loop)->Run(); !s.ok()) {
    LOG_ERROR("%s", s.ToString());
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}

}  // namespace vigil
