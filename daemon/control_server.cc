#include "daemon/control_server.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "daemon/metrics.h"

namespace vigil::brain {

namespace {

// The peer's supplementary groups; empty if the kernel cannot say.
std::vector<gid_t> PeerGroups(int fd) {
  std::vector<gid_t> groups(32);
  for (int attempt = 0; attempt < 2; ++attempt) {
    socklen_t length = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &length) ==
        0) {
      groups.resize(length / sizeof(gid_t));
      return groups;
    }
    if (errno != ERANGE) break;
    groups.resize(length / sizeof(gid_t));  // the length it needs
  }
  return {};
}

}  // namespace

bool ControlServer::PeerMayControl(uid_t uid, gid_t gid,
                                   std::span<const gid_t> groups,
                                   gid_t control_gid) {
  if (uid == 0 || gid == control_gid) return true;
  for (gid_t group : groups) {
    if (group == control_gid) return true;
  }
  return false;
}

ControlServer::ControlServer(EventLoop* loop, UniqueFd listener,
                             gid_t control_gid, Handler* handler)
    : loop_(loop),
      listener_(std::move(listener)),
      control_gid_(control_gid),
      handler_(handler) {}

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
    if (getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &credentials, &length) !=
        0) {
      LOG_WARNING(
          "control socket: refused a peer whose credentials are "
          "unknown: %s",
          strerror(errno));
      continue;
    }
    std::string peer = absl::StrCat("uid ", credentials.uid, " gid ",
                                    credentials.gid, " pid ", credentials.pid);
    if (connections_.size() >= kMaxConnections) {
      LOG_WARNING("control socket: refused %s: %d connections already", peer,
                  connections_.size());
      continue;
    }
    std::string denied;
    if (!PeerMayControl(credentials.uid, credentials.gid, PeerGroups(fd.get()),
                        control_gid_)) {
      // The file mode let this peer in, so it was loosened. The peer learns
      // why once its request is in (closing with it unread would reset the
      // connection before the answer could be read); the log says who.
      LOG_WARNING(
          "control socket: refused %s: neither root nor in the control group "
          "(gid %d)",
          peer, control_gid_);
      denied = absl::StrCat("permission denied: ", peer,
                            " is neither root nor in the control group (gid ",
                            control_gid_,
                            "); check the socket's mode (0660 expected)");
    } else {
      LOG_INFO("control socket: connection from %s", peer);
    }
    int raw = fd.get();
    auto connection = std::make_unique<Connection>(
        Connection{IpcChannel(std::move(fd), "vigilctl (" + peer + ")"), peer,
                   std::move(denied)});
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
    if (!connection.denied.empty()) {
      control::Response response;
      response.set_denied(connection.denied);
      Send(connection, response);
      return Close(fd);
    }
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

bool ControlServer::HasWatchers() const {
  for (const auto& [fd, connection] : connections_)
    if (connection->watching) return true;
  return false;
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
