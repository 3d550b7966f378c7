#pragma once

#include <time.h>

#include <functional>
#include <map>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/unique_fd.h"

namespace vigil {

// A single-threaded loop over epoll: fd readiness, one absolute timer on the
// monotonic clock, and signals (signalfd). Each process has one. The timer is
// epoll_pwait2's timeout, not a timerfd: a wake-up costs one system call
// rather than three (wait, read the timerfd, re-arm it), which is most of
// the brain's cost per advert.
class EventLoop {
 public:
  using Callback = std::function<void()>;

  static absl::StatusOr<std::unique_ptr<EventLoop>> Create();

  // Calls `on_readable` whenever fd is readable (or hung up).
  absl::Status WatchFd(int fd, Callback on_readable);
  void UnwatchFd(int fd);

  // Blocks these signals and delivers them through the loop instead.
  absl::Status WatchSignal(int signo, Callback on_signal);

  // Arms the one timer; nullopt disarms it.
  void SetTimer(std::optional<TimePoint> when, Callback on_expiry);

  // Runs until Stop().
  absl::Status Run();
  void Stop() { running_ = false; }

 private:
  explicit EventLoop(UniqueFd epoll);
  void OnSignalReadable();
  // Runs the timer's callback while it is due; then how long to wait for
  // it (nullopt: no timer).
  std::optional<timespec> FireOrTimeout();
  static constexpr int kMaxFiresPerWait = 64;
  static constexpr std::chrono::milliseconds kLongWait{50};

  UniqueFd epoll_;
  UniqueFd signal_fd_;
  std::optional<TimePoint> deadline_;
  Callback on_timer_;
  std::map<int, Callback> fd_callbacks_;
  std::map<int, Callback> signal_callbacks_;
  bool running_ = false;
};

}  // namespace vigil
