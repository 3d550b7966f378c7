#pragma once

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"
#include "common/unique_fd.h"

namespace vigil::agent {

// Opens the notify FIFO for the checker, creating it (mode 0600, owned by
// the script user, who runs notify_fifo_script) if it does not exist. Opened
// read-write and non-blocking, as keepalived does, so that neither the open
// nor a write waits for a reader.
// Runs in: netagent (root, at start-up). Input: a path from its config.
absl::StatusOr<UniqueFd> OpenNotifyFifo(const std::string& path, uid_t owner,
                                        gid_t group);

}  // namespace vigil::agent
