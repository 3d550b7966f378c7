#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "common/event_loop.h"
#include "common/ipc_channel.h"
#include "common/unique_fd.h"
#include "proto/control.pb.h"

namespace vigil::brain {

// The control socket's server: accepts vigilctl's connections on the
// listening socket the agent created, checks and logs each peer's
// credentials, and answers requests through a Handler (the brain). A `watch`
// connection gets every transition from then on.
// Runs in: brain. Input: requests from local users the socket's file mode let
// in (malformed ones are answered with an error, then the connection closes).
class ControlServer {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual control::Status GetStatus() const = 0;
    virtual control::Stats GetStats() const = 0;
    // What was done, or why not.
    virtual absl::StatusOr<std::string> Demote(const std::string& instance,
                                               bool demote) = 0;
    // Asks the agent; the answer comes back through ReloadDone.
    virtual absl::Status RequestReload() = 0;
  };

  static constexpr size_t kMaxConnections = 16;

  // Behind the file mode, which an administrator may loosen by mistake: only
  // root and members of the control group (primary or supplementary, as
  // SO_PEERCRED and SO_PEERGROUPS report them) are served.
  static bool PeerMayControl(uid_t uid, gid_t gid,
                             std::span<const gid_t> groups, gid_t control_gid);

  ControlServer(EventLoop* loop, UniqueFd listener, gid_t control_gid,
                Handler* handler);
  absl::Status Start();

  // To every watching connection; one that cannot keep up is dropped.
  void Broadcast(const control::Transition& transition);
  bool HasWatchers() const;
  // The agent's answer to the reload RequestReload asked for.
  void ReloadDone(const control::Reloaded& result);

 private:
  struct Connection {
    IpcChannel channel;
    std::string peer;    // "uid 0 pid 123", for the log
    std::string denied;  // set: the peer may not control; why
    bool watching = false;
    bool awaiting_reload = false;
  };

  void OnAccept();
  void OnReadable(int fd);
  // false: the connection is to be closed.
  bool Answer(Connection& connection, const control::Request& request);
  bool Send(Connection& connection, const control::Response& response);
  void Close(int fd);

  EventLoop* loop_;
  UniqueFd listener_;
  gid_t control_gid_;
  Handler* handler_;
  std::map<int, std::unique_ptr<Connection>> connections_;
};

}  // namespace vigil::brain
