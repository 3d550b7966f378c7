#pragma once

#include "absl/status/statusor.h"
#include "netagent/route_socket.h"
#include "proto/config.pb.h"

namespace vigil::agent {

// Adds and removes an instance's virtual_routes with rtnetlink (libnl-route).
// Both are idempotent: adding replaces an equal route, removing an absent
// one succeeds. Returns whether the kernel's state changed.
// Runs in: netagent (CAP_NET_ADMIN). Input: routes from the agent's config.
class RouteManager {
 public:
  static absl::StatusOr<RouteManager> Open();

  // `ifindex` is the instance's interface, for routes without `dev`.
  absl::StatusOr<bool> Add(const config::VirtualRoute& route, int ifindex);
  absl::StatusOr<bool> Remove(const config::VirtualRoute& route, int ifindex);

 private:
  explicit RouteManager(RouteSocket socket) : socket_(std::move(socket)) {}
  absl::StatusOr<bool> Change(bool add, const config::VirtualRoute& route,
                              int ifindex);
  RouteSocket socket_;
};

}  // namespace vigil::agent
