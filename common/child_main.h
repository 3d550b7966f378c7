#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/cpu_affinity.h"
#include "common/event_loop.h"
#include "common/ipc_channel.h"
#include "common/sandbox.h"
#include "common/scheduling.h"
#include "common/seccomp_filter.h"
#include "google/protobuf/message_lite.h"

namespace vigil {

// The command line the agent gives a child: where to log, which user to be.
struct ChildOptions {
  std::string user;
  std::string chroot_dir;
  bool allow_root = false;
  bool log_console = false;
  bool log_detail = false;
  SeccompMode seccomp = SeccompMode::kKill;
  Scheduling scheduling;
  CpuSet cpus;         // empty: the CPUs inherited
  CpuSet script_cpus;  // the checker's scripts'; empty: the checker's
  // Test only: on SIGUSR1, make a system call the filter forbids.
  bool test_forbidden_syscall = false;
};

// Parses --user=U --chroot=D --allow-root -l -D --seccomp=MODE
// --realtime=PRIORITY --nice=N --realtime-burst-us=N --cpus=LIST
// --script-cpus=LIST
// --test-forbidden-syscall; anything else is an error.
absl::StatusOr<ChildOptions> ParseChildOptions(int argc, char** argv);

// The fixed fds a child inherits from the agent.
constexpr int kAgentChannelFd = 3;
constexpr int kPeerChannelFd = 4;

// Opens the log, applies its scheduling (a failure is a warning: the
// process runs, with normal scheduling), enters the sandbox and waits (bounded)
// for the setup message from the agent on fd 3; returns the agent channel.
// Exits the process with a message on any failure: these are start-up errors.
IpcChannel StartChild(int argc, char** argv, const char* ident, bool use_chroot,
                      google::protobuf::MessageLite* setup,
                      std::vector<UniqueFd>* fds);

// Creates the event loop, lets `start` register with it, runs it until it
// stops; returns the process exit code.
int RunChildLoop(const std::function<absl::Status(EventLoop*, Clock*)>& start);

}  // namespace vigil
