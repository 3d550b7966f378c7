// vigil-checker: runs vrrp_script checks and notify scripts as the
// script user, without capabilities and with no_new_privs, and reports state
// changes to the brain. Started by vigild only.

#include <cstdlib>

#include "checker/checker.h"
#include "checker/script_runner.h"
#include "common/child_main.h"
#include "common/log.h"
#include "common/program_syscalls.h"
#include "common/resource_limits.h"
#include "common/status_macros.h"

int main(int argc, char** argv) {
  using namespace vigil;
  ipc::AgentToChecker setup;
  std::vector<UniqueFd> fds;
  IpcChannel agent = StartChild(argc, argv, "vigil-checker",
                                /*use_chroot=*/false, &setup, &fds);
  if (!setup.has_setup()) {
    LOG_ERROR("the agent's first message is not a setup");
    return EXIT_FAILURE;
  }
  // StartChild has already refused a bad command line.
  ChildOptions options = *ParseChildOptions(argc, argv);
  checker::SetScriptCpus(options.script_cpus);
  // The checker lives as long as the loop; it is created inside `start`.
  std::unique_ptr<checker::Checker> checker;
  return RunChildLoop([&](EventLoop* loop, Clock* clock) -> absl::Status {
    // Scripts inherit these: a fork bomb in a check stops at 512 processes
    // (per user, so not for script_user root).
    RETURN_IF_ERROR(
        ApplyResourceLimits({.open_files = 1024, .processes = 512}));
    checker = std::make_unique<checker::Checker>(
        loop, clock, std::move(agent),
        IpcChannel(UniqueFd(kPeerChannelFd), "brain"));
    UniqueFd fifo;
    if (setup.setup().notify_fifo_attached() && fds.size() == 1)
      fifo = std::move(fds[0]);
    RETURN_IF_ERROR(checker->Start(setup.setup().config(), std::move(fifo)));
    setup = ipc::AgentToChecker();  // the checker keeps what it needs
    // Last; the scripts inherit it (common/program_syscalls.h).
    RETURN_IF_ERROR(InstallSeccomp(ProgramSyscalls(), ProgramRefusedSyscalls(),
                                   options.seccomp));
    LOG_DEBUG("seccomp filter loaded (%s)", SeccompModeName(options.seccomp));
    return absl::OkStatus();
  });
}
