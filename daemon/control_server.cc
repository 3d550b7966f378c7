#include "daemon/control_server.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "daemon/metrics.h"

namespace vigil::brain {

ControlServer::ControlServer(EventLoop* loop, UniqueFd listener,
                             Handler* handler)
    : loop_(loop), listener_(std::move(listener)), handler_(handler) {}

absl::Status ControlServer::Start() {
  // A blocking accept would stall every state machine: never trust the
  // listener's flags.
  int flags = fcntl(listener_.get(), F_GETFL);
  if (flags < 0 || fcntl(listener_.get(), F_SETFL, flags | O_NONBLOCK) != 0)
    return ErrnoStatus(errno, "control socket: fcntl(O_NONBLOCK)");
  return loop_->WatchFd(listener_.get(), [this] { OnAccept(); });
}

void ControlServer::OnAccept() {
  for (;;) {
    UniqueFd fd(accept4(listener_.get(), nullptr, nullptr,
                        SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd.valid()) {
      if (errno != EAGAIN && errno != EINTR)
        LOG_ERROR("control socket: accept: %s", strerror(errno));
      return;
    }
    ucred credentials{};
    socklen_t length = sizeof(credentials);
    std::string peer = "unknown peer";
    if (getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &credentials, &length) ==
        0) {
      peer = absl::StrCat("uid ", credentials.uid, " gid ", credentials.gid,
                          " pid ", credentials.pid);
    }
    if (connections_.size() >= kMaxConnections) {
      LOG_WARNING("control socket: refused %s: %d connections already", peer,
                  connections_.size());
      continue;
    }
    LOG_INFO("control socket: connection from %s", peer);
    int raw = fd.get();
    auto connection = std::make_unique<Connection>(
        Connection{IpcChannel(std::move(fd), "vigilctl (" + peer + ")"), peer});
    if (absl::Status s = loop_->WatchFd(raw, [this, raw] { OnReadable(raw); });
        !s.ok()) {
      LOG_ERROR("control socket: %s", s.ToString());
      continue;
    }
    connections_[raw] = std::move(connection);
  }
}

void ControlServer::OnReadable(int fd) {
  auto it = connections_.find(fd);
  if (it == connections_.end()) return;
  Connection& connection = *it->second;
  for (;;) {
    control::Request request;
    absl::StatusOr<bool> got = connection.channel.Receive(&request);
    if (!got.ok()) {
      if (got.status().code() != absl::StatusCode::kUnavailable) {
        control::Response error;
        error.set_error(std::string(got.status().message()));
        Send(connection, error);
        LOG_WARNING("control socket: %s", got.status().message());
      }
      return Close(fd);
    }
    if (!*got) return;
    if (!Answer(connection, request)) return Close(fd);
  }
}

bool ControlServer::Answer(Connection& connection,
                           const control::Request& request) {
  control::Response response;
  switch (request.msg_case()) {
    case control::Request::kStatus:
      *response.mutable_status() = handler_->GetStatus();
      break;
    case control::Request::kStats:
      *response.mutable_stats() = handler_->GetStats();
      break;
    case control::Request::kMetrics:
      response.set_metrics(
          RenderMetrics(handler_->GetStatus(), handler_->GetStats()));
      break;
    case control::Request::kWatch:
      connection.watching = true;
      LOG_INFO("control socket: %s watches transitions", connection.peer);
      return true;  // no answer until something happens
    case control::Request::kDemote: {
      const control::DemoteRequest& d = request.demote();
      LOG_INFO("control socket: %s asks to %s %s", connection.peer,
               d.demote() ? "demote" : "undemote", d.instance().substr(0, 64));
      absl::StatusOr<std::string> done =
          handler_->Demote(d.instance(), d.demote());
      if (done.ok()) {
        response.set_done(*done);
      } else {
        response.set_error(std::string(done.status().message()));
      }
      break;
    }
    case control::Request::kReload:
      LOG_INFO("control socket: %s asks for a reload", connection.peer);
      if (absl::Status s = handler_->RequestReload(); !s.ok()) {
        response.set_error(std::string(s.message()));
        break;
      }
      connection.awaiting_reload = true;
      return true;  // answered by ReloadDone
    case control::Request::MSG_NOT_SET:
      response.set_error("empty or unknown request");
      Send(connection, response);
      return false;
  }
  return Send(connection, response);
}

bool ControlServer::Send(Connection& connection,
                         const control::Response& response) {
  if (absl::Status s = connection.channel.Send(response); !s.ok()) {
    LOG_WARNING("control socket: %s: %s; closing", connection.peer,
                s.message());
    return false;
  }
  return true;
}

void ControlServer::Broadcast(const control::Transition& transition) {
  control::Response response;
  *response.mutable_transition() = transition;
  std::vector<int> lagging;
  for (auto& [fd, connection] : connections_) {
    if (connection->watching && !Send(*connection, response))
      lagging.push_back(fd);
  }
  for (int fd : lagging) Close(fd);
}

void ControlServer::ReloadDone(const control::Reloaded& result) {
  control::Response response;
  *response.mutable_reloaded() = result;
  std::vector<int> gone;
  for (auto& [fd, connection] : connections_) {
    if (!connection->awaiting_reload) continue;
    connection->awaiting_reload = false;
    if (!Send(*connection, response)) gone.push_back(fd);
  }
  for (int fd : gone) Close(fd);
}

void ControlServer::Close(int fd) {
  loop_->UnwatchFd(fd);
  connections_.erase(fd);
}

}  // namespace vigil::brain
