#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/receive_buffer.h"
#include "common/unique_fd.h"
#include "google/protobuf/message_lite.h"

namespace vigil {

// One end of a SOCK_SEQPACKET socketpair carrying protobuf envelopes, one per
// datagram, with optional fds (SCM_RIGHTS).
// Runs in: every process. Input: the peer process, trusted no further than its
// role allows: a datagram that is truncated, oversized, unparsable, empty, or
// carries fds where none are allowed is rejected and named in the error.
class IpcChannel {
 public:
  static constexpr size_t kMaxMessageSize = 1 << 20;
  static constexpr size_t kMaxFds = 64;

  IpcChannel(UniqueFd fd, std::string peer_name);

  // Creates a connected pair with buffers large enough for kMaxMessageSize.
  static absl::StatusOr<std::pair<UniqueFd, UniqueFd>> CreatePair();

  absl::Status Send(const google::protobuf::MessageLite& message,
                    std::span<const int> fds = {});

  // Reads one datagram without blocking. Returns false when none is waiting,
  // true when `message` was filled, and an error on a bad datagram or when the
  // peer has gone (kUnavailable). Passing fds == nullptr forbids fds.
  absl::StatusOr<bool> Receive(google::protobuf::MessageLite* message,
                               std::vector<UniqueFd>* fds = nullptr);

  // Between Cork and Uncork, Send (without fds) queues the datagrams, and
  // Uncork sends them with one system call (sendmmsg). Each send wakes the
  // peer, which then often preempts the sender: a brain taking over 255
  // instances lost ~20 µs per request that way, delaying later adverts.
  void Cork() { corked_ = true; }
  absl::Status Uncork();

  int fd() const { return fd_.get(); }
  const std::string& peer_name() const { return peer_name_; }

 private:
  UniqueFd fd_;
  std::string peer_name_;
  bool corked_ = false;
  std::vector<std::string> queued_;
  ReceiveBuffer buffer_{kMaxMessageSize + 1};  // +1: to see truncation
};

}  // namespace vigil
