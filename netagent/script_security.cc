#include "netagent/script_security.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace vigil::agent {

namespace {

void Add(std::vector<ScriptCommand>& out,
         const google::protobuf::RepeatedPtrField<std::string>& argv,
         const std::string& location, const std::string& what) {
  if (!argv.empty() && !argv[0].empty())
    out.push_back({argv[0], location, what});
}

void AddNotify(std::vector<ScriptCommand>& out, const config::NotifyScripts& n,
               const std::string& location, const std::string& what) {
  for (const auto* argv :
       {&n.master(), &n.backup(), &n.fault(), &n.stop(), &n.any()}) {
    Add(out, *argv, location, what);
  }
}

}  // namespace

std::vector<ScriptCommand> ScriptCommands(const config::Config& config) {
  std::vector<ScriptCommand> out;
  for (const config::VrrpScript& script : config.scripts()) {
    Add(out, script.argv(), script.location(),
        absl::StrCat("vrrp_script ", script.name()));
  }
  for (const config::VrrpInstance& instance : config.instances()) {
    AddNotify(out, instance.notify(), instance.location(),
              absl::StrCat("notify script of vrrp_instance ", instance.name()));
  }
  for (const config::SyncGroup& group : config.sync_groups()) {
    AddNotify(out, group.notify(), group.location(),
              absl::StrCat("notify script of vrrp_sync_group ", group.name()));
  }
  Add(out, config.global().notify_fifo_script(), config.source(),
      "notify_fifo_script");
  return out;
}

std::optional<std::string> ScriptPathProblem(const std::string& path) {
  std::filesystem::path p(path);
  if (!p.is_absolute()) {
    return absl::StrCat(path,
                        " is not an absolute path, so PATH decides "
                        "which file runs");
  }
  for (; !p.empty(); p = p.parent_path()) {
    struct stat st;
    if (stat(p.c_str(), &st) != 0)
      return absl::StrCat(p.string(), ": ", std::strerror(errno));
    if (st.st_uid != 0)
      return absl::StrCat(p.string(), " is owned by uid ", st.st_uid);
    if ((st.st_mode & S_IWGRP) && st.st_gid != 0)
      return absl::StrCat(p.string(), " is writable by group ", st.st_gid);
    if (st.st_mode & S_IWOTH)
      return absl::StrCat(p.string(), " is writable by anyone");
    if (p == p.root_path()) break;
  }
  return std::nullopt;
}

}  // namespace vigil::agent
