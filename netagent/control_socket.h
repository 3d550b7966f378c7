#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/unique_fd.h"

namespace vigil::agent {

// The control socket vigilctl connects to: created (listening) by the agent,
// which alone may create files, and served by the brain. Access is by file
// mode, 0660, owner root and `group`; the brain checks each peer's
// credentials against root and `group` as well, and logs them. A stale socket
// at `path` is replaced; any other file there is an error, so a typo cannot
// delete something else. Runs in: netagent (start-up, as root).
struct ControlListener {
  UniqueFd fd;
  gid_t group;  // the brain checks peers against it too
};
absl::StatusOr<ControlListener> OpenControlSocket(const std::string& path,
                                                  const std::string& group);

// metrics_listen: a listening TCP socket on a loopback address (the config
// check refuses any other), served by the brain.
absl::StatusOr<UniqueFd> OpenMetricsListener(const std::string& address_bytes,
                                             uint16_t port);

// Removes the socket file on a clean stop.
void RemoveControlSocket(const std::string& path);

}  // namespace vigil::agent
