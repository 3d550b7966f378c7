#pragma once

#include <chrono>
#include <string>

#include "absl/status/statusor.h"
#include "common/ipc_channel.h"
#include "proto/control.pb.h"

namespace vigil::ctl {

// vigilctl's end of the control socket.
class ControlClient {
 public:
  // Errors say what to do: vigild not running, or not allowed to connect.
  static absl::StatusOr<ControlClient> Connect(const std::string& path);

  absl::Status Send(const control::Request& request);
  // The next response, waiting at most `timeout` (forever if negative).
  absl::StatusOr<control::Response> Next(std::chrono::milliseconds timeout);
  // Send, then the response; an `error` response becomes an error.
  absl::StatusOr<control::Response> Call(const control::Request& request,
                                         std::chrono::milliseconds timeout);

 private:
  explicit ControlClient(IpcChannel channel) : channel_(std::move(channel)) {}
  IpcChannel channel_;
};

}  // namespace vigil::ctl
