#pragma once

#include <utility>

#include "absl/status/statusor.h"

struct nl_sock;

namespace vigil::agent {

// An rtnetlink socket from libnl, owned: freed on destruction, move-only.
// Runs in: netagent.
class RouteSocket {
 public:
  static absl::StatusOr<RouteSocket> Open();
  ~RouteSocket();
  RouteSocket(RouteSocket&& other) noexcept
      : socket_(std::exchange(other.socket_, nullptr)) {}
  RouteSocket& operator=(RouteSocket&&) = delete;

  nl_sock* get() const { return socket_; }

 private:
  explicit RouteSocket(nl_sock* socket) : socket_(socket) {}
  nl_sock* socket_;
};

}  // namespace vigil::agent
