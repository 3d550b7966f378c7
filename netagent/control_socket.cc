#include "netagent/control_socket.h"

#include <grp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vigil::agent {
namespace {

constexpr int kBacklog = 16;

}  // namespace

absl::StatusOr<ControlListener> OpenControlSocket(const std::string& path,
                                                  const std::string& group) {
  const struct group* entry = getgrnam(group.c_str());
  if (entry == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("control socket group '", group, "' does not exist"));
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("control socket path '", path, "' is empty or too long"));
  }
  std::memcpy(address.sun_path, path.data(), path.size());
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "control socket path ", path, " exists and is not a socket"));
    }
    unlink(path.c_str());  // left by a run that did not stop cleanly
  }
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(),
                                      error);
  UniqueFd fd(
      socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) return ErrnoStatus(errno, "control socket");
  // Created with no access at all, opened up only once it has its group.
  mode_t old_mask = umask(0777);
  int bound = bind(fd.get(), reinterpret_cast<const sockaddr*>(&address),
                   sizeof(address));
  int bind_errno = errno;
  umask(old_mask);
  if (bound != 0) return ErrnoStatus(bind_errno, "binding " + path);
  if (chown(path.c_str(), 0, entry->gr_gid) != 0 ||
      chmod(path.c_str(), 0660) != 0) {
    return ErrnoStatus(errno, "setting owner and mode of " + path);
  }
  if (listen(fd.get(), kBacklog) != 0)
    return ErrnoStatus(errno, "listening on " + path);
  return ControlListener{std::move(fd), entry->gr_gid};
}

absl::StatusOr<UniqueFd> OpenMetricsListener(const std::string& address_bytes,
                                             uint16_t port) {
  sockaddr_storage storage{};
  socklen_t length;
  int family;
  if (address_bytes.size() == 4) {
    auto* in = reinterpret_cast<sockaddr_in*>(&storage);
    in->sin_family = family = AF_INET;
    in->sin_port = htons(port);
    std::memcpy(&in->sin_addr, address_bytes.data(), 4);
    length = sizeof(sockaddr_in);
  } else if (address_bytes.size() == 16) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = family = AF_INET6;
    in6->sin6_port = htons(port);
    std::memcpy(&in6->sin6_addr, address_bytes.data(), 16);
    length = sizeof(sockaddr_in6);
  } else {
    return absl::InvalidArgumentError("metrics_listen: bad address");
  }
  UniqueFd fd(socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) return ErrnoStatus(errno, "metrics socket");
  int on = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&storage), length) != 0)
    return ErrnoStatus(errno, absl::StrCat("metrics_listen: port ", port));
  if (listen(fd.get(), kBacklog) != 0)
    return ErrnoStatus(errno, "metrics_listen: listen");
  return fd;
}

void RemoveControlSocket(const std::string& path) { unlink(path.c_str()); }

}  // namespace vigil::agent
