#include "common/event_loop.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include "absl/status/statusor.h"
#include "common/status_macros.h"

namespace vigil {

absl::StatusOr<std::unique_ptr<EventLoop>> EventLoop::Create() {
  UniqueFd epoll(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll.valid()) return ErrnoStatus(errno, "epoll_create1");
  UniqueFd timer(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
  if (!timer.valid()) return ErrnoStatus(errno, "timerfd_create");
  std::unique_ptr<EventLoop> loop(
      new EventLoop(std::move(epoll), std::move(timer)));
  int timer_fd = loop->timer_.get();
  EventLoop* raw = loop.get();
  RETURN_IF_ERROR(loop->WatchFd(timer_fd, [raw, timer_fd] {
    uint64_t expirations;
    if (read(timer_fd, &expirations, sizeof expirations) < 0) return;
    if (raw->on_timer_) raw->on_timer_();
  }));
  return loop;
}

EventLoop::EventLoop(UniqueFd epoll, UniqueFd timer)
    : epoll_(std::move(epoll)), timer_(std::move(timer)) {}

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
  on_timer_ = std::move(on_expiry);
  itimerspec spec{};
  if (when) {
    auto us = when->time_since_epoch().count();
    if (us <= 0) us = 1;  // zero would disarm
    spec.it_value.tv_sec = us / 1'000'000;
    spec.it_value.tv_nsec = (us % 1'000'000) * 1000;
    if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0)
      spec.it_value.tv_nsec = 1;
  }
  timerfd_settime(timer_.get(), TFD_TIMER_ABSTIME, &spec, nullptr);
}

absl::Status EventLoop::Run() {
  running_ = true;
  epoll_event events[32];
  while (running_) {
    int n = epoll_wait(epoll_.get(), events, 32, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "epoll_wait");
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
