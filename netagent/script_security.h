#pragma once

#include <optional>
#include <string>
#include <vector>

#include "proto/config.pb.h"

namespace vigil::agent {

// A command the checker may run, with where the config names it.
struct ScriptCommand {
  std::string path;      // argv[0]
  std::string location;  // file:line
  std::string what;  // "vrrp_script chk", "notify script of vrrp_instance VI_1"
};

// Every command in the config: vrrp_scripts, the notify scripts of instances
// and sync groups, notify_fifo_script.
std::vector<ScriptCommand> ScriptCommands(const config::Config& config);

// keepalived's enable_script_security rule, for scripts that run as root: a
// script is refused if it, or any directory above it, could be changed by a
// user other than root (owned by one, or writable by a group or by anyone;
// a sticky directory such as /tmp is still a risk). Returns why, or nothing
// when the path is safe.
// Runs in: netagent (root, at start-up). Input: paths from its config.
std::optional<std::string> ScriptPathProblem(const std::string& path);

}  // namespace vigil::agent
