#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "netagent/route_socket.h"

namespace vigil::agent {

// Adds and removes addresses with rtnetlink (libnl-route). Both operations are
// idempotent: adding a present address or removing an absent one succeeds, so
// a desired-state request can be applied again safely.
// Runs in: netagent (CAP_NET_ADMIN). Input: addresses from the agent's config.
class AddressManager {
 public:
  static absl::StatusOr<AddressManager> Open();

  // `address` is 4 or 16 raw bytes in network order. Both return whether the
  // kernel's state changed (false: it was already so). A non-zero lifetime
  // makes the kernel drop the address unless Renew comes first.
  absl::StatusOr<bool> Add(int ifindex, absl::string_view address,
                           int prefix_len, uint32_t lifetime_s = 0);
  absl::Status Renew(int ifindex, absl::string_view address, int prefix_len,
                     uint32_t lifetime_s);
  absl::StatusOr<bool> Remove(int ifindex, absl::string_view address,
                              int prefix_len);

 private:
  explicit AddressManager(RouteSocket socket) : socket_(std::move(socket)) {}
  enum class Op { kAdd, kRenew, kRemove };
  absl::StatusOr<bool> Change(Op op, int ifindex, absl::string_view address,
                              int prefix_len, uint32_t lifetime_s);
  RouteSocket socket_;
};

}  // namespace vigil::agent
