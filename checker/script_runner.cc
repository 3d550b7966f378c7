#include "checker/script_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vigil::checker {
namespace {

CpuSet& ScriptCpus() {
  static CpuSet cpus;
  return cpus;
}

[[noreturn]] void ExecChild(const std::vector<std::string>& argv,
                            int output_fd) {
  setpgid(0, 0);
  if (!ScriptCpus().empty()) (void)RunOnCpus(ScriptCpus());
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) signal(sig, SIG_DFL);
  int null = open("/dev/null", O_RDWR);
  int out = output_fd >= 0 ? output_fd : null;
  if (null >= 0) dup2(null, 0);
  if (out >= 0) {
    dup2(out, 1);
    dup2(out, 2);
  }
  syscall(SYS_close_range, 3, UINT_MAX, 0);
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  static char path[] =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  static char lang[] = "LANG=C";
  char* env[] = {path, lang, nullptr};
  environ = env;
  execvp(args[0], args.data());
  _exit(127);
}

}  // namespace

absl::StatusOr<pid_t> StartScript(const std::vector<std::string>& argv) {
  return StartCheck(argv, -1);
}

absl::StatusOr<pid_t> StartCheck(const std::vector<std::string>& argv,
                                 int output_fd) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  pid_t pid = fork();
  if (pid < 0) return ErrnoStatus(errno, "fork");
  if (pid == 0) ExecChild(argv, output_fd);
  setpgid(pid, pid);  // also here, so a kill right after fork reaches the group
  return pid;
}

void SetScriptCpus(CpuSet cpus) { ScriptCpus() = std::move(cpus); }

void KillScript(pid_t pid) { kill(-pid, SIGKILL); }

}  // namespace vigil::checker
