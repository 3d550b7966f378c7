#include "netagent/notify_fifo.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vigil::agent {

absl::StatusOr<UniqueFd> OpenNotifyFifo(const std::string& path, uid_t owner,
                                        gid_t group) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return ErrnoStatus(errno, "notify FIFO " + path);
    if (mkfifo(path.c_str(), 0600) != 0)
      return ErrnoStatus(errno, "creating notify FIFO " + path);
    if (chown(path.c_str(), owner, group) != 0)
      return ErrnoStatus(errno, "giving notify FIFO " + path + " to its user");
  } else if (!S_ISFIFO(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("notify FIFO ", path, " exists and is not a FIFO"));
  }
  UniqueFd fd(open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(errno, "opening notify FIFO " + path);
  return fd;
}

}  // namespace vigil::agent
