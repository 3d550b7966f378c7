#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace vigil::agent {

// vigild's command line, keepalived's letters where they exist.
struct Options {
  std::string config_file;
  bool foreground = false;   // -n
  bool log_console = false;  // -l
  bool log_detail = false;   // -D
  std::string pid_file;      // -p
  bool config_test = false;  // -t
  bool help = false;
  bool version = false;
  std::string libexec_dir;                    // --libexec-dir
  std::string brain_user;                     // --brain-user
  std::string checker_user;                   // --checker-user
  std::string chroot_dir;                     // --chroot-dir
  std::string config_id;                      // -i: selects @ID lines
  bool dump_config = false;                   // --dump-config
  std::string seccomp = "kill";               // --seccomp=kill|trap|off
  std::string control_socket;                 // --control-socket, for vigilctl
  std::string control_group;                  // --control-group
  bool test_brain_forbidden_syscall = false;  // test only, not in --help
};

absl::StatusOr<Options> ParseOptions(int argc, char** argv);
const char* UsageText();

}  // namespace vigil::agent
