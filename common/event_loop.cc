#include "common/event_loop.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>

#include "absl/status/statusor.h"
#include "common/status_macros.h"

namespace vigil {

absl::StatusOr<std::unique_ptr<EventLoop>> EventLoop::Create() {
  UniqueFd epoll(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll.valid()) return ErrnoStatus(errno, "epoll_create1");
  // The default 50 us of slack would show in the adverts' spacing at 10 ms
  // intervals; 1 us keeps them on time (done before any seccomp filter).
  prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
  return std::unique_ptr<EventLoop>(new EventLoop(std::move(epoll)));
}

EventLoop::EventLoop(UniqueFd epoll) : epoll_(std::move(epoll)) {}

absl::Status EventLoop::WatchFd(int fd, Callback on_readable) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = fd;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0) {
    return ErrnoStatus(errno, "epoll_ctl(ADD)");
  }
  fd_callbacks_[fd] = std::move(on_readable);
  return absl::OkStatus();
}

void EventLoop::UnwatchFd(int fd) {
  epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  fd_callbacks_.erase(fd);
}

absl::Status EventLoop::WatchSignal(int signo, Callback on_signal) {
  signal_callbacks_[signo] = std::move(on_signal);
  sigset_t mask;
  sigemptyset(&mask);
  for (const auto& [sig, unused] : signal_callbacks_) sigaddset(&mask, sig);
  if (sigprocmask(SIG_BLOCK, &mask, nullptr) != 0)
    return ErrnoStatus(errno, "sigprocmask");
  bool first = !signal_fd_.valid();
  int fd = signalfd(first ? -1 : signal_fd_.get(), &mask,
                    SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) return ErrnoStatus(errno, "signalfd");
  if (first) {
    signal_fd_.Reset(fd);
    return WatchFd(fd, [this] { OnSignalReadable(); });
  }
  return absl::OkStatus();
}

void EventLoop::OnSignalReadable() {
  signalfd_siginfo info;
  while (read(signal_fd_.get(), &info, sizeof info) == sizeof info) {
    auto it = signal_callbacks_.find(static_cast<int>(info.ssi_signo));
    if (it != signal_callbacks_.end()) it->second();
  }
}

void EventLoop::SetTimer(std::optional<TimePoint> when, Callback on_expiry) {
  deadline_ = when;
  on_timer_ = std::move(on_expiry);
}

std::optional<timespec> EventLoop::FireOrTimeout() {
  // Bounded, so that a timer always due cannot starve the fds.
  TimePoint now;
  for (int fired = 0;; ++fired) {
    if (!deadline_ || !running_) return std::nullopt;
    now = std::chrono::time_point_cast<Duration>(
        std::chrono::steady_clock::now());
    if (now < *deadline_) break;
    if (fired == kMaxFiresPerWait) return timespec{0, 0};
    deadline_.reset();
    Callback fire = on_timer_;  // it may set the next timer
    if (fire) fire();
  }
  auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(*deadline_ - now);
  // The kernel lets a poll timeout run late by 0.1% of its length (3.6 ms
  // on a 3.6 s down timer). A long wait therefore stops short by 0.2% and
  // the loop finishes with a short wait, whose own slack is microseconds.
  if (ns > kLongWait) ns -= ns / 500;
  return timespec{static_cast<time_t>(ns.count() / 1'000'000'000),
                  static_cast<long>(ns.count() % 1'000'000'000)};
}

absl::Status EventLoop::Run() {
  running_ = true;
  epoll_event events[32];
  while (running_) {
    std::optional<timespec> timeout = FireOrTimeout();
    if (!running_) break;  // a timer callback stopped the loop
    int n = epoll_pwait2(epoll_.get(), events, 32,
                         timeout ? &*timeout : nullptr, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "epoll_pwait2");
    }
    for (int i = 0; i < n && running_; ++i) {
      auto it = fd_callbacks_.find(events[i].data.fd);
      if (it == fd_callbacks_.end()) continue;
      Callback callback = it->second;  // a callback may unwatch itself
      callback();
    }
  }
  return absl::OkStatus();
}

}  // namespace vigil
