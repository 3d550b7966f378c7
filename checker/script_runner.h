#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/cpu_affinity.h"
#include "common/wait_status.h"

namespace vigil::checker {

// Starts a notify command: its own process group, fds 0-2 on /dev/null and
// nothing else open, a scrubbed environment, signals reset.
// The checker already runs as the script user without capabilities, so the
// script inherits exactly that.
absl::StatusOr<pid_t> StartScript(const std::vector<std::string>& argv);
// The same with stdout and stderr on `output_fd` (a check script's pipe).
absl::StatusOr<pid_t> StartCheck(const std::vector<std::string>& argv,
                                 int output_fd);

// The CPUs scripts run on when the checker's own are fewer (vigil's CPU
// plan): a notify script may start a service, which should not inherit a
// corner of the machine. Empty: the checker's.
void SetScriptCpus(CpuSet cpus);

// Kills a script's whole process group (on timeout or shutdown).
void KillScript(pid_t pid);

}  // namespace vigil::checker
