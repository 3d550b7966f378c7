// vigil-vrrp, the brain: VRRP state machines, timers and packet parsing.
// Started by vigild only. Runs as its own user, chrooted to an empty
// directory, with no capabilities and no_new_privs: it parses hostile network
// input, so it holds nothing worth stealing.

#include <cstdlib>

#include "common/child_main.h"
#include "common/log.h"
#include "daemon/brain.h"

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
  std::unique_ptr<brain::Brain> brain;
  return RunChildLoop([&](EventLoop* loop, Clock* clock) {
    brain = std::make_unique<brain::Brain>(
        loop, clock, std::move(agent),
        IpcChannel(UniqueFd(kPeerChannelFd), "checker"));
    return brain->Start(setup.setup(), std::move(fds));
  });
}
