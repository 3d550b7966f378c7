#pragma once

#include <functional>
#include <map>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/unique_fd.h"

namespace vigil {

// A single-threaded loop over epoll: fd readiness, one absolute timer on the
// monotonic clock (timerfd), and signals (signalfd). Each process has one.
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
  EventLoop(UniqueFd epoll, UniqueFd timer);
  void OnSignalReadable();

  UniqueFd epoll_;
  UniqueFd timer_;
  UniqueFd signal_fd_;
  Callback on_timer_;
  std::map<int, Callback> fd_callbacks_;
  std::map<int, Callback> signal_callbacks_;
  bool running_ = false;
};

}  // namespace vigil
