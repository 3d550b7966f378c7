#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace vigil {

struct UserIds {
  std::string name;
  uid_t uid;
  gid_t gid;
};

// Looks the user up in the passwd database; a missing user is an error that
// says how to create it.
absl::StatusOr<UserIds> LookUpUser(const std::string& name);

struct ChildSandbox {
  UserIds user;
  std::string chroot_dir;   // empty: stay in the file system (the checker)
  bool allow_root = false;  // only for an explicit `script_user root`
};

// Start-up of a child, in this order: die with the parent, optionally chroot,
// switch to the user (supplementary groups dropped, bounding set cleared),
// no_new_privs, then verify that the drop took. Fatal on error.
absl::Status EnterChildSandbox(const ChildSandbox& sandbox);

// The agent keeps only `capabilities` after start-up (effective, permitted
// and bounding). `bounding_only` stay in the bounding set alone: the agent
// cannot use them, but a child it executes as root starts with them, which
// is what lets that child switch to its own user.
absl::Status KeepOnlyCapabilities(const std::vector<int>& capabilities,
                                  const std::vector<int>& bounding_only);

// "NET_ADMIN NET_RAW" for logs and docs.
std::string DescribeCapabilities(const std::vector<int>& capabilities);

}  // namespace vigil
