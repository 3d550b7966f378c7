#pragma once

#include <functional>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "common/event_loop.h"
#include "common/unique_fd.h"

namespace vigil::brain {

// metrics_listen: answers `GET /metrics` on the loopback TCP socket the agent
// opened with the Prometheus text, then closes; anything else gets 404 or
// 400. One request per connection, requests bounded to 4 KiB, at most
// kMaxConnections open (the oldest is dropped), never a blocking call.
// Runs in: brain. Input: HTTP requests from local processes.
class MetricsHttp {
 public:
  using Render = std::function<std::string()>;
  static constexpr size_t kMaxConnections = 8;
  static constexpr size_t kMaxRequest = 4096;

  MetricsHttp(EventLoop* loop, UniqueFd listener, Render render);
  absl::Status Start();

  // The response for a complete request head, for tests.
  static std::string Respond(const std::string& request,
                             const std::string& metrics);

 private:
  void OnAccept();
  void OnReadable(int fd);
  void Close(int fd);

  EventLoop* loop_;
  UniqueFd listener_;
  Render render_;
  std::map<int, std::pair<UniqueFd, std::string>> connections_;  // by fd
};

}  // namespace vigil::brain
