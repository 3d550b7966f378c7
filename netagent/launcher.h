#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/ipc_channel.h"
#include "common/seccomp_filter.h"

namespace vigil::agent {

// The process that starts the agent's children, the first and every later
// time. A seccomp filter is inherited across fork and exec, so the process
// that starts the brain, the checker and (through the checker) every check
// script must have a filter that admits all they do; keeping that process
// apart is what lets the agent's own filter forbid fork, exec and changing
// users. Forked by the agent first thing in start-up, before it opens any
// socket; it starts each child with CLONE_PARENT, so the child is the
// agent's own: the agent waits for it and sees how it ended.
// Runs in: vigil-launcher (uid 0 without usable capabilities; in its bounding
// set only what a child executed as root needs to switch to its user).
// Input: requests from the agent only.
class Launcher {
 public:
  // Forks the launcher, which loads its filter (unless `seccomp` is off) and
  // drops its capabilities before it serves a request.
  static absl::StatusOr<Launcher> Start(SeccompMode seccomp, bool log_console,
                                        bool log_detail);

  // Executes `path` as a child of the calling agent, with `agent_channel` on
  // its fd 3 and `peer_channel` on fd 4. Returns the child's pid.
  absl::StatusOr<pid_t> Launch(const std::string& path,
                               const std::vector<std::string>& args,
                               int agent_channel, int peer_channel);

  pid_t pid() const { return pid_; }
  bool running() const { return channel_.has_value(); }
  // The agent has reaped it: later launches fail with the reason.
  void OnExit(std::string how) {
    channel_.reset();
    exit_description_ = std::move(how);
  }

  // What an executed root child needs to chroot and switch to its user.
  static const std::vector<int>& BoundingCapabilities();

  // vigild runs as the launcher when its first argument is this: the forked
  // child executes vigild again rather than keep a copy of the agent's
  // memory (the parsed config, 2.6 MB at 1000 instances).
  static constexpr const char* kFlag = "--as-vigil-launcher";
  [[noreturn]] static void RunFromArgs(int argc, char** argv);

 private:
  Launcher(pid_t pid, UniqueFd channel);

  pid_t pid_;
  std::optional<IpcChannel> channel_;
  std::string exit_description_;
};

}  // namespace vigil::agent
