#include "netagent/agent_syscalls.h"

#include <seccomp.h>

#include "common/program_syscalls.h"

namespace vigil::agent {

const std::vector<SyscallGroup>& AgentSyscalls() {
  static const std::vector<SyscallGroup> kGroups = {
      {"event loop: epoll (its timeout is the timer), the signal fd; waiting "
       "for the launcher",
       {SCMP_SYS(epoll_pwait2), SCMP_SYS(epoll_ctl), SCMP_SYS(poll),
        SCMP_SYS(ppoll), SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(writev),
        SCMP_SYS(close)}},
      {"IPC with the children and the launcher; a fresh brain-checker pair "
       "for a restarted child",
       {SCMP_SYS(sendmsg), SCMP_SYS(recvmsg), SCMP_SYS(socketpair)}},
      {"netlink (VIPs, routes, links, the accept filter), GARP/NA, VRRP "
       "sockets for interfaces added on reload, sd_notify and syslog",
       {SCMP_SYS(socket), SCMP_SYS(bind), SCMP_SYS(connect),
        SCMP_SYS(setsockopt), SCMP_SYS(getsockopt), SCMP_SYS(getsockname),
        SCMP_SYS(sendto), SCMP_SYS(sendmmsg), SCMP_SYS(recvfrom),
        SCMP_SYS(ioctl)}},
      {"reading the config again on reload, with its includes and scripts' "
       "paths",
       {SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(fstat), SCMP_SYS(stat),
        SCMP_SYS(lstat), SCMP_SYS(newfstatat), SCMP_SYS(statx), SCMP_SYS(lseek),
        SCMP_SYS(getdents64), SCMP_SYS(readlink), SCMP_SYS(access),
        SCMP_SYS(faccessat), SCMP_SYS(faccessat2), SCMP_SYS(getcwd),
        SCMP_SYS(fcntl)}},
      {"keepalived's dump files: a temporary file renamed into place",
       {SCMP_SYS(rename), SCMP_SYS(unlink), SCMP_SYS(fchmod)}},
      {"supervising the children: signal, reap",
       {SCMP_SYS(kill), SCMP_SYS(wait4), SCMP_SYS(waitid)}},
      {"memory (malloc, protobuf, libnl)",
       {SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap),
        SCMP_SYS(madvise), SCMP_SYS(mprotect)}},
      {"time, identity for log lines and netlink ports",
       {SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday), SCMP_SYS(time),
        SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getuid), SCMP_SYS(geteuid),
        SCMP_SYS(getgid), SCMP_SYS(getegid), SCMP_SYS(uname)}},
      {"signals, futexes and leaving",
       {SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
        SCMP_SYS(rt_sigaction), SCMP_SYS(tgkill), SCMP_SYS(futex),
        SCMP_SYS(restart_syscall), SCMP_SYS(sched_yield), SCMP_SYS(getrandom),
        SCMP_SYS(exit), SCMP_SYS(exit_group)}},
  };
  return kGroups;
}

const std::vector<int>& AgentRefusedSyscalls() {
  static const std::vector<int> kRefused = {SCMP_SYS(sysinfo)};
  return kRefused;
}

std::vector<SyscallGroup> LauncherSyscalls() {
  std::vector<SyscallGroup> groups = ProgramSyscalls();
  groups.push_back(
      {"a child's start-up: chroot, its user, its capabilities",
       {SCMP_SYS(chroot), SCMP_SYS(setuid), SCMP_SYS(setgid),
        SCMP_SYS(setreuid), SCMP_SYS(setregid), SCMP_SYS(setresuid),
        SCMP_SYS(setresgid), SCMP_SYS(setgroups), SCMP_SYS(setfsuid),
        SCMP_SYS(setfsgid), SCMP_SYS(capset)}});
  return groups;
}

}  // namespace vigil::agent
