#include "netagent/control_socket.h"

#include <grp.h>
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

absl::StatusOr<UniqueFd> OpenControlSocket(const std::string& path,
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
  return fd;
}

void RemoveControlSocket(const std::string& path) { unlink(path.c_str()); }

}  // namespace vigil::agent
