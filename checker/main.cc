// vigil-checker: runs vrrp_script checks (and, later, notify scripts) as the
// script user, without capabilities and with no_new_privs, and reports state
// changes to the brain. Started by vigild only.

#include <cstdlib>

#include "checker/checker.h"
#include "common/child_main.h"
#include "common/log.h"

int main(int argc, char** argv) {
  using namespace vigil;
  ipc::AgentToChecker setup;
  IpcChannel agent = StartChild(argc, argv, "vigil-checker", /*use_chroot=*/false, &setup,
                                nullptr);
  if (!setup.has_setup()) {
    LOG_ERROR("the agent's first message is not a setup");
    return EXIT_FAILURE;
  }
  absl::StatusOr<std::unique_ptr<EventLoop>> loop = EventLoop::Create();
  if (!loop.ok()) {
    LOG_ERROR("%s", loop.status().ToString());
    return EXIT_FAILURE;
  }
  RealClock clock;
  checker::Checker checker(loop->get(), &clock, std::move(agent),
                           IpcChannel(UniqueFd(kPeerChannelFd), "brain"));
  if (absl::Status s = checker.Start(setup.setup().config()); !s.ok()) {
    LOG_ERROR("cannot start: %s", s.ToString());
    return EXIT_FAILURE;
  }
  if (absl::Status s = (*loop)->Run(); !s.ok()) {
    LOG_ERROR("%s", s.ToString());
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
