#pragma once

#include <string>

namespace vigil::agent {

// systemd's notification protocol (sd_notify(3)), without libsystemd: one
// datagram to the socket NOTIFY_SOCKET names ("READY=1", "STATUS=...",
// "RELOADING=1", "STOPPING=1"). Does nothing when not started by systemd
// with Type=notify. The socket's address is read once, at start-up.
class SystemdNotifier {
 public:
  SystemdNotifier();
  void Notify(const std::string& state) const;
  bool enabled() const { return !path_.empty(); }

 private:
  std::string path_;
};

}  // namespace vigil::agent
