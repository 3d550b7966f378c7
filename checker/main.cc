// vigil-checker: runs vrrp_script checks and notify scripts as the
// script user, without capabilities and with no_new_privs, and reports state
// changes to the brain. Started by vigild only.

#include <cstdlib>

#include "checker/checker.h"
#include "common/child_main.h"
#include "common/log.h"

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
  // The checker lives as long as the loop; it is created inside `start`.
  std::unique_ptr<checker::Checker> checker;
  return RunChildLoop([&](EventLoop* loop, Clock* clock) {
    checker = std::make_unique<checker::Checker>(
        loop, clock, std::move(agent),
        IpcChannel(UniqueFd(kPeerChannelFd), "brain"));
    UniqueFd fifo;
    if (setup.setup().notify_fifo_attached() && fds.size() == 1)
      fifo = std::move(fds[0]);
    return checker->Start(setup.setup().config(), std::move(fifo));
  });
}
