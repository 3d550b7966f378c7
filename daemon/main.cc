// vigil-vrrp, the brain: VRRP state machines, timers and packet parsing.
// Started by vigild only. Runs as its own user, chrooted to an empty
// directory, with no capabilities and no_new_privs: it parses hostile network
// input, so it holds nothing worth stealing.

#include <signal.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/child_main.h"
#include "common/log.h"
#include "common/resource_limits.h"
#include "common/scheduling.h"
#include "common/status_macros.h"
#include "daemon/brain.h"
#include "daemon/brain_syscalls.h"

namespace {

// SIGXCPU: the kernel's real-time burst limit (vrrp_rlimit_rttime) was
// reached without the process sleeping. Whatever keeps it busy (a flood of
// packets, a bug), it must not keep the machine's other processes off a CPU;
// normal scheduling until vigild restarts.
void LeaveRealtimeAfterBurst() {
  absl::Status left = vigil::LeaveRealtime();
  LOG_WARNING(
      "used its real-time CPU limit (vrrp_rlimit_rttime) without a pause; %s",
      left.ok() ? "normal scheduling from now until vigild restarts"
                : absl::StrCat("cannot leave real-time: ", left.message()));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil;
  ipc::AgentToBrain setup;
  std::vector<UniqueFd> fds;
  IpcChannel agent =
      StartChild(argc, argv, "vigil-vrrp", /*use_chroot=*/true, &setup, &fds);
  if (!setup.has_setup()) {
    LOG_ERROR("the agent's first message is not a setup");
    return EXIT_FAILURE;
  }
  LOG_INFO("starting with %d instances",
           setup.setup().config().instances_size());
  // StartChild has already refused a bad command line.
  ChildOptions options = *ParseChildOptions(argc, argv);
  std::unique_ptr<brain::Brain> brain;
  return RunChildLoop([&](EventLoop* loop, Clock* clock) -> absl::Status {
    // Its sockets and a few more; 1 GiB of heap is far beyond any config.
    RETURN_IF_ERROR(ApplyResourceLimits(
        {.open_files = 4096, .data_bytes = rlim_t{1} << 30}));
    brain = std::make_unique<brain::Brain>(
        loop, clock, std::move(agent),
        IpcChannel(UniqueFd(kPeerChannelFd), "checker"));
    RETURN_IF_ERROR(brain->Start(setup.setup(), std::move(fds)));
    setup = ipc::AgentToBrain();  // the brain keeps its own copy
    if (options.scheduling.realtime_priority != 0) {
      RETURN_IF_ERROR(loop->WatchSignal(SIGXCPU, LeaveRealtimeAfterBurst));
    }
    if (options.test_forbidden_syscall) {
      // Test hook: SIGUSR1 makes the brain try a call its filter forbids.
      RETURN_IF_ERROR(loop->WatchSignal(SIGUSR1, [] {
        LOG_WARNING("test hook: making a forbidden system call (execve)");
        char* const no_args[] = {nullptr};
        execve("/bin/true", no_args, no_args);
      }));
    }
    // Last: from here on the brain can only use what it holds.
    RETURN_IF_ERROR(InstallSeccomp(brain::BrainSyscalls(),
                                   brain::BrainRefusedSyscalls(),
                                   options.seccomp));
    LOG_DEBUG("seccomp filter loaded (%s)", SeccompModeName(options.seccomp));
    return absl::OkStatus();
  });
}
