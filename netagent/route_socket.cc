#include "netagent/route_socket.h"

#include <netlink/errno.h>
#include <netlink/netlink.h>

#include "absl/strings/str_cat.h"

namespace vigil::agent {

absl::StatusOr<RouteSocket> RouteSocket::Open() {
  nl_sock* socket = nl_socket_alloc();
  if (socket == nullptr) return absl::ResourceExhaustedError("nl_socket_alloc");
  if (int err = nl_connect(socket, NETLINK_ROUTE); err < 0) {
    nl_socket_free(socket);
    return absl::InternalError(
        absl::StrCat("netlink connect: ", nl_geterror(err)));
  }
  return RouteSocket(socket);
}

RouteSocket::~RouteSocket() {
  if (socket_ != nullptr) nl_socket_free(socket_);
}

}  // namespace vigil::agent
