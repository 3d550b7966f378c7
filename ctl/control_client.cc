#include "ctl/control_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vigil::ctl {

absl::StatusOr<ControlClient> ControlClient::Connect(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path))
    return absl::InvalidArgumentError("socket path too long: " + path);
  std::memcpy(address.sun_path, path.data(), path.size());
  UniqueFd fd(
      socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) return ErrnoStatus(errno, "socket");
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&address),
              sizeof(address)) != 0) {
    int err = errno;
    if (err == EACCES || err == EPERM) {
      return absl::PermissionDeniedError(
          absl::StrCat(path,
                       ": permission denied (root, or the group vigild's "
                       "--control-group names, may connect)"));
    }
    if (err == ENOENT || err == ECONNREFUSED) {
      return absl::UnavailableError(
          absl::StrCat(path, ": vigild is not running (", strerror(err), ")"));
    }
    return ErrnoStatus(err, "connecting to " + path);
  }
  return ControlClient(IpcChannel(std::move(fd), "vigild"));
}

absl::Status ControlClient::Send(const control::Request& request) {
  return channel_.Send(request);
}

absl::StatusOr<control::Response> ControlClient::Next(
    std::chrono::milliseconds timeout) {
  for (;;) {
    control::Response response;
    ASSIGN_OR_RETURN(bool got, channel_.Receive(&response));
    if (got) return response;
    pollfd p = {channel_.fd(), POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(timeout.count()));
    if (n < 0 && errno != EINTR) return ErrnoStatus(errno, "poll");
    if (n == 0) return absl::DeadlineExceededError("vigild did not answer");
  }
}

absl::StatusOr<control::Response> ControlClient::Call(
    const control::Request& request, std::chrono::milliseconds timeout) {
  RETURN_IF_ERROR(Send(request));
  ASSIGN_OR_RETURN(control::Response response, Next(timeout));
  if (response.has_error())
    return absl::FailedPreconditionError(response.error());
  if (response.has_denied())
    return absl::PermissionDeniedError(response.denied());
  return response;
}

}  // namespace vigil::ctl
