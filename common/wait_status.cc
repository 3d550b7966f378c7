#include "common/wait_status.h"

#include <signal.h>
#include <sys/wait.h>

#include "absl/strings/str_cat.h"

namespace vigil {

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 127)
      return "exited with status 127 (command not found?)";
    return absl::StrCat("exited with status ", WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    if (WTERMSIG(status) == SIGSYS) {
      return absl::StrCat(
          "killed by signal ", SIGSYS,
          " (SIGSYS: a system call its seccomp filter forbids)");
    }
    return absl::StrCat("killed by signal ", WTERMSIG(status));
  }
  return "ended oddly";
}

}  // namespace vigil
