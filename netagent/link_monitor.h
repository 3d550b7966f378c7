#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/unique_fd.h"

namespace vigil::agent {

// Watches links with rtnetlink notifications (RTMGRP_LINK), for
// track_interface and the instances' own interfaces. "Up" means
// administratively up with carrier (IFF_UP and IFF_RUNNING).
// Runs in: netagent (no capability needed). Input: kernel notifications.
class LinkMonitor {
 public:
  static absl::StatusOr<LinkMonitor> Open();
  int fd() const { return socket_.get(); }

  // Reads every pending notification; `changed` gets each link's name and
  // whether it is up now (a deleted link is down).
  void Drain(const std::function<void(const std::string&, bool)>& changed);

  // The current state, asked directly; a missing interface is down.
  static bool IsUp(const std::string& name);

 private:
  explicit LinkMonitor(UniqueFd socket) : socket_(std::move(socket)) {}
  UniqueFd socket_;
};

}  // namespace vigil::agent
