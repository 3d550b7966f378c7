#include "daemon/brain_syscalls.h"

#include <seccomp.h>

namespace vigil::brain {

const std::vector<SyscallGroup>& BrainSyscalls() {
  static const std::vector<SyscallGroup> kGroups = {
      {"event loop: epoll (its timeout is the timer) and the signal fd",
       {SCMP_SYS(epoll_pwait2), SCMP_SYS(epoll_ctl), SCMP_SYS(read)}},
      {"adverts and IPC on the sockets the agent passed in",
       {SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(sendmmsg),
        SCMP_SYS(recvfrom), SCMP_SYS(sendto), SCMP_SYS(write), SCMP_SYS(writev),
        SCMP_SYS(close)}},
      {"the control socket the agent passed in: vigilctl's connections",
       {SCMP_SYS(accept4), SCMP_SYS(getsockopt)}},
      {"memory (malloc, protobuf)",
       {SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap),
        SCMP_SYS(madvise), SCMP_SYS(mprotect)}},
      {"time and log lines",
       {SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday), SCMP_SYS(time),
        SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(fstat),
        SCMP_SYS(newfstatat), SCMP_SYS(lseek)}},
      {"signals, futexes and leaving",
       {SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(futex),
        SCMP_SYS(restart_syscall), SCMP_SYS(sched_yield), SCMP_SYS(getrandom),
        SCMP_SYS(exit), SCMP_SYS(exit_group)}},
      {"leaving real-time scheduling after a burst (vrrp_rlimit_rttime)",
       {SCMP_SYS(sched_setscheduler)}},
  };
  return kGroups;
}

const std::vector<int>& BrainRefusedSyscalls() {
  static const std::vector<int> kRefused = {
      SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(socket), SCMP_SYS(connect)};
  return kRefused;
}

}  // namespace vigil::brain
