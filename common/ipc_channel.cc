#include "common/ipc_channel.h"

#include <sys/socket.h>

#include <cstring>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vigil {
namespace {

constexpr int kSocketBuffer = 4 * IpcChannel::kMaxMessageSize;

void EnlargeBuffers(int fd) {
  // FORCE needs CAP_NET_ADMIN (the agent creates the pairs); the plain option
  // is the fallback for tests run without it.
  for (int option : {SO_SNDBUF, SO_RCVBUF}) {
    int force = option == SO_SNDBUF ? SO_SNDBUFFORCE : SO_RCVBUFFORCE;
    if (setsockopt(fd, SOL_SOCKET, force, &kSocketBuffer,
                   sizeof kSocketBuffer) != 0) {
      setsockopt(fd, SOL_SOCKET, option, &kSocketBuffer, sizeof kSocketBuffer);
    }
  }
}

}  // namespace

IpcChannel::IpcChannel(UniqueFd fd, std::string peer_name)
    : fd_(std::move(fd)), peer_name_(std::move(peer_name)) {}

absl::StatusOr<std::pair<UniqueFd, UniqueFd>> IpcChannel::CreatePair() {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    return ErrnoStatus(errno, "socketpair");
  }
  EnlargeBuffers(fds[0]);
  EnlargeBuffers(fds[1]);
  return std::make_pair(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

absl::Status IpcChannel::Send(const google::protobuf::MessageLite& message,
                              std::span<const int> fds) {
  std::string body;
  if (!message.SerializeToString(&body)) {
    return absl::InternalError(
        absl::StrCat("cannot serialise message to ", peer_name_));
  }
  if (body.empty() || body.size() > kMaxMessageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("message to ", peer_name_, " has bad size ", body.size()));
  }
  if (fds.size() > kMaxFds) {
    return absl::InvalidArgumentError(
        absl::StrCat("too many fds for ", peer_name_));
  }
  if (corked_ && fds.empty()) {
    queued_.push_back(std::move(body));
    return absl::OkStatus();
  }
  iovec iov{body.data(), body.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  std::vector<char> control;
  if (!fds.empty()) {
    control.resize(CMSG_SPACE(fds.size() * sizeof(int)));
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(fds.size() * sizeof(int));
    std::memcpy(CMSG_DATA(c), fds.data(), fds.size() * sizeof(int));
  }
  ssize_t sent;
  do {
    sent = sendmsg(fd_.get(), &msg, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return ErrnoStatus(errno, absl::StrCat("send to ", peer_name_));
  return absl::OkStatus();
}

absl::Status IpcChannel::Uncork() {
  corked_ = false;
  std::vector<std::string> queued;
  queued.swap(queued_);
  std::vector<iovec> iov(queued.size());
  std::vector<mmsghdr> messages(queued.size());
  for (size_t i = 0; i < queued.size(); ++i) {
    iov[i] = {queued[i].data(), queued[i].size()};
    messages[i].msg_hdr.msg_iov = &iov[i];
    messages[i].msg_hdr.msg_iovlen = 1;
  }
  for (size_t sent = 0; sent < messages.size();) {
    int n =
        sendmmsg(fd_.get(), &messages[sent],
                 static_cast<unsigned>(messages.size() - sent), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return ErrnoStatus(errno, absl::StrCat("send to ", peer_name_, " (",
                                             messages.size() - sent, " of ",
                                             messages.size(), " messages)"));
    }
    sent += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> IpcChannel::Receive(google::protobuf::MessageLite* message,
                                         std::vector<UniqueFd>* fds) {
  char* buffer = buffer_.data();
  if (buffer == nullptr)
    return ErrnoStatus(errno, absl::StrCat("receive buffer for ", peer_name_));
  iovec iov{buffer, buffer_.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(kMaxFds * sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t got;
  do {
    got = recvmsg(fd_.get(), &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
    return ErrnoStatus(errno, absl::StrCat("receive from ", peer_name_));
  }
  if (got == 0)
    return absl::UnavailableError(
        absl::StrCat(peer_name_, " closed the channel"));

  // Whatever becomes of the message, a large one's pages go back.
  absl::Cleanup release = [this, got] {
    buffer_.Release(static_cast<size_t>(got));
  };
  // Take ownership of any fds first so that every error path closes them.
  std::vector<UniqueFd> received;
  bool fd_error = (msg.msg_flags & MSG_CTRUNC) != 0;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr;
       c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
      fd_error = true;
      continue;
    }
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    const int* raw = reinterpret_cast<const int*>(CMSG_DATA(c));
    for (size_t i = 0; i < count; ++i) received.emplace_back(raw[i]);
  }
  if (fd_error) {
    return absl::InvalidArgumentError(
        absl::StrCat("message from ", peer_name_, " has bad control data"));
  }
  if (!received.empty() && fds == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "message from ", peer_name_, " carries fds where none are allowed"));
  }
  if (msg.msg_flags & MSG_TRUNC || static_cast<size_t>(got) > kMaxMessageSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "message from ", peer_name_, " is larger than ", kMaxMessageSize));
  }
  message->Clear();
  if (!message->ParseFromArray(buffer, static_cast<int>(got))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "message from ", peer_name_, " does not parse (", got, " bytes)"));
  }
  if (fds != nullptr) *fds = std::move(received);
  return true;
}

}  // namespace vigil
