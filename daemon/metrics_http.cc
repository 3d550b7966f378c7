#include "daemon/metrics_http.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace vigil::brain {
namespace {

std::string Reply(const char* status, const std::string& type,
                  const std::string& body) {
  return absl::StrCat("HTTP/1.0 ", status, "\r\nContent-Type: ", type,
                      "\r\nContent-Length: ", body.size(),
                      "\r\nConnection: close\r\n\r\n", body);
}

}  // namespace

MetricsHttp::MetricsHttp(EventLoop* loop, UniqueFd listener, Render render)
    : loop_(loop), listener_(std::move(listener)), render_(std::move(render)) {}

absl::Status MetricsHttp::Start() {
  return loop_->WatchFd(listener_.get(), [this] { OnAccept(); });
}

std::string MetricsHttp::Respond(const std::string& request,
                                 const std::string& metrics) {
  std::string line = request.substr(0, request.find("\r\n"));
  if (line.rfind("GET ", 0) != 0 || line.find(" HTTP/") == std::string::npos)
    return Reply("400 Bad Request", "text/plain", "bad request\n");
  std::string path = line.substr(4, line.find(' ', 4) - 4);
  if (path != "/metrics" && path.rfind("/metrics?", 0) != 0)
    return Reply("404 Not Found", "text/plain", "try /metrics\n");
  return Reply("200 OK", "text/plain; version=0.0.4; charset=utf-8", metrics);
}

void MetricsHttp::OnAccept() {
  for (;;) {
    UniqueFd fd(accept4(listener_.get(), nullptr, nullptr,
                        SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd.valid()) return;
    if (connections_.size() >= kMaxConnections)
      Close(connections_.begin()->first);
    int raw = fd.get();
    if (!loop_->WatchFd(raw, [this, raw] { OnReadable(raw); }).ok()) continue;
    connections_[raw] = {std::move(fd), std::string()};
  }
}

void MetricsHttp::OnReadable(int fd) {
  auto it = connections_.find(fd);
  if (it == connections_.end()) return;
  std::string& request = it->second.second;
  char buffer[1024];
  ssize_t n = read(fd, buffer, sizeof buffer);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) return Close(fd);
  request.append(buffer, static_cast<size_t>(n));
  bool complete = request.find("\r\n\r\n") != std::string::npos;
  if (!complete && request.size() < kMaxRequest) return;
  std::string response = complete ? Respond(request, render_())
                                  : Reply("431 Request Header Fields Too Large",
                                          "text/plain", "request too large\n");
  // One non-blocking write: the metrics fit a socket buffer; a client that
  // reads nothing gets what fits and a closed connection.
  (void)!write(fd, response.data(), response.size());
  Close(fd);
}

void MetricsHttp::Close(int fd) {
  loop_->UnwatchFd(fd);
  connections_.erase(fd);
}

}  // namespace vigil::brain
