#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace vigil::agent {

// In a new process: execs `path` with its two channel ends on fds 3 and 4,
// nothing else open beyond stdio, signals unblocked, and an environment
// holding only PATH. The child drops its own privileges first thing
// (common/sandbox.h).
[[noreturn]] void ExecChild(const std::string& path,
                            const std::vector<std::string>& args,
                            int agent_channel, int peer_channel);

struct ChildPaths {
  std::string brain;    // vigil-vrrp
  std::string checker;  // vigil-checker
};

// Where the children live: an explicit --libexec-dir, else the build tree when
// vigild runs from one (tests run uninstalled), else the configured libexec
// directory.
ChildPaths FindChildren(const std::string& explicit_dir);

}  // namespace vigil::agent
