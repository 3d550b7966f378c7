#include "common/sandbox.h"

#include <cap-ng.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vigil {

absl::StatusOr<UserIds> LookUpUser(const std::string& name) {
  errno = 0;
  passwd* entry = getpwnam(name.c_str());
  if (entry == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("system user '", name, "' does not exist; create it with ",
                     "'systemd-sysusers' (vigil ships "
                     "packaging/vigil.sysusers) or useradd --system"));
  }
  return UserIds{name, entry->pw_uid, entry->pw_gid};
}

absl::Status EnterChildSandbox(const ChildSandbox& sandbox) {
  // If the agent goes, the children go at once and say nothing: the VIPs may
  // outlive the agent, so the brain must not invite a quick takeover with
  // priority-0 adverts.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
    return ErrnoStatus(errno, "PR_SET_PDEATHSIG");
  if (getppid() == 1)
    return absl::FailedPreconditionError("parent already gone");
  if (sandbox.user.uid == 0 && !sandbox.allow_root) {
    return absl::PermissionDeniedError("refusing to run a child as root");
  }
  if (!sandbox.chroot_dir.empty()) {
    if (chroot(sandbox.chroot_dir.c_str()) != 0 || chdir("/") != 0) {
      return ErrnoStatus(errno,
                         absl::StrCat("chroot(", sandbox.chroot_dir, ")"));
    }
  }
  capng_clear(CAPNG_SELECT_BOTH);
  int rc = capng_change_id(
      static_cast<int>(sandbox.user.uid), static_cast<int>(sandbox.user.gid),
      static_cast<capng_flags_t>(CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING));
  if (rc != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot switch to user ", sandbox.user.name,
                     " (capng_change_id ", rc, ")"));
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return ErrnoStatus(errno, "PR_SET_NO_NEW_PRIVS");

  // Verify: a half-applied drop must not go unnoticed.
  capng_get_caps_process();
  if (capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE) {
    return absl::InternalError("capabilities still present after the drop");
  }
  if (getuid() != sandbox.user.uid || geteuid() != sandbox.user.uid ||
      getgid() != sandbox.user.gid) {
    return absl::InternalError("uid/gid did not change as asked");
  }
  if (sandbox.user.uid != 0 && setuid(0) == 0) {
    return absl::InternalError("could regain root after dropping it");
  }
  return absl::OkStatus();
}

absl::Status KeepOnlyCapabilities(const std::vector<int>& capabilities,
                                  const std::vector<int>& bounding_only) {
  capng_clear(CAPNG_SELECT_BOTH);
  auto keep = [](int cap, int sets) {
    return capng_update(CAPNG_ADD, static_cast<capng_type_t>(sets),
                        static_cast<unsigned>(cap)) == 0;
  };
  for (int cap : capabilities) {
    if (!keep(cap, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET))
      return absl::InternalError("capng_update failed");
  }
  for (int cap : bounding_only) {
    if (!keep(cap, CAPNG_BOUNDING_SET))
      return absl::InternalError("capng_update failed");
  }
  if (capng_apply(CAPNG_SELECT_BOTH) != 0) {
    return absl::PermissionDeniedError(
        "capng_apply failed while dropping capabilities");
  }
  return absl::OkStatus();
}

std::string DescribeCapabilities(const std::vector<int>& capabilities) {
  std::string out;
  for (int cap : capabilities) {
    const char* name = capng_capability_to_name(static_cast<unsigned>(cap));
    absl::StrAppend(&out, out.empty() ? "" : " ", name ? name : "?");
  }
  return out;
}

}  // namespace vigil
