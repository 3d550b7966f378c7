#include "netagent/supervisor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <filesystem>

#include "vigil_build_config.h"

namespace vigil::agent {

void ExecChild(const std::string& path, const std::vector<std::string>& args,
               int agent_channel, int peer_channel) {
  // Move both ends out of the way first, so dup2 onto 3 and 4 cannot clobber
  // one with the other; dup2 clears close-on-exec on the targets.
  int a = fcntl(agent_channel, F_DUPFD, 10);
  int p = fcntl(peer_channel, F_DUPFD, 10);
  if (a < 0 || p < 0 || dup2(a, 3) != 3 || dup2(p, 4) != 4) _exit(126);
  syscall(SYS_close_range, 5, UINT_MAX, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const std::string& arg : args)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  static char env_path[] =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  char* env[] = {env_path, nullptr};
  execve(path.c_str(), argv.data(), env);
  _exit(127);
}

ChildPaths FindChildren(const std::string& explicit_dir) {
  std::string dir = explicit_dir.empty() ? VIGIL_LIBEXECDIR : explicit_dir;
  if (explicit_dir.empty()) {
    std::error_code error;
    std::filesystem::path self =
        std::filesystem::read_symlink("/proc/self/exe", error);
    std::filesystem::path build_root = self.parent_path().parent_path();
    if (!error &&
        std::filesystem::exists(build_root / "meson-private", error)) {
      return {(build_root / "daemon" / "vigil-vrrp").string(),
              (build_root / "checker" / "vigil-checker").string()};
    }
  }
  return {dir + "/vigil-vrrp", dir + "/vigil-checker"};
}

}  // namespace vigil::agent
