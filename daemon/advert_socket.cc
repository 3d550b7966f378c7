#include "daemon/advert_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <cstring>

#include "common/status_macros.h"

namespace vigil::brain {
namespace {

void AddControl(msghdr& msg, cmsghdr*& c, int level, int type, const void* data,
                size_t size) {
  c = c == nullptr ? CMSG_FIRSTHDR(&msg) : CMSG_NXTHDR(&msg, c);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN(size);
  std::memcpy(CMSG_DATA(c), data, size);
}

}  // namespace

AdvertSocket::AdvertSocket(UniqueFd fd, std::string interface, int ifindex,
                           IpAddress primary)
    : fd_(std::move(fd)),
      interface_(std::move(interface)),
      ifindex_(ifindex),
      primary_(primary),
      buffer_(std::make_unique_for_overwrite<uint8_t[]>(kBufferSize)) {}

namespace {

// A datagram's sendmsg arguments, kept together so that a batch of them can
// go to sendmmsg.
struct Prepared {
  iovec iov;
  sockaddr_in to4;
  sockaddr_in6 to6;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in6_pktinfo)) +
                                CMSG_SPACE(sizeof(int))];
  int hops;
};

void Prepare(const AdvertSocket::Outgoing& out, int ifindex, Prepared& p,
             msghdr& msg) {
  p = {};
  msg = {};
  p.iov = {const_cast<uint8_t*>(out.payload.data()), out.payload.size()};
  p.hops = out.ttl;
  msg.msg_iov = &p.iov;
  msg.msg_iovlen = 1;
  msg.msg_control = p.control;
  // Exactly the two messages below: the kernel reads every one in the buffer.
  msg.msg_controllen =
      CMSG_SPACE(out.destination.is_v6() ? sizeof(in6_pktinfo)
                                         : sizeof(in_pktinfo)) +
      CMSG_SPACE(sizeof(int));
  cmsghdr* c = nullptr;
  // Pin the source: once a VIP is on the interface the kernel could otherwise
  // pick it. The TTL travels with each datagram (unicast peers may differ
  // from the multicast TTL the socket was opened with).
  if (out.destination.is_v6()) {
    p.to6.sin6_family = AF_INET6;
    std::memcpy(&p.to6.sin6_addr, out.destination.data(), 16);
    p.to6.sin6_scope_id = static_cast<uint32_t>(ifindex);
    msg.msg_name = &p.to6;
    msg.msg_namelen = sizeof p.to6;
    in6_pktinfo info{};
    std::memcpy(&info.ipi6_addr, out.source.data(), 16);
    info.ipi6_ifindex = static_cast<unsigned>(ifindex);
    AddControl(msg, c, IPPROTO_IPV6, IPV6_PKTINFO, &info, sizeof info);
    AddControl(msg, c, IPPROTO_IPV6, IPV6_HOPLIMIT, &p.hops, sizeof p.hops);
  } else {
    p.to4.sin_family = AF_INET;
    p.to4.sin_addr.s_addr = out.destination.v4();
    msg.msg_name = &p.to4;
    msg.msg_namelen = sizeof p.to4;
    in_pktinfo info{};
    info.ipi_ifindex = ifindex;
    info.ipi_spec_dst.s_addr = out.source.v4();
    AddControl(msg, c, IPPROTO_IP, IP_PKTINFO, &info, sizeof info);
    AddControl(msg, c, IPPROTO_IP, IP_TTL, &p.hops, sizeof p.hops);
  }
}

// sendmmsg's own limit is 1024 messages.
constexpr size_t kBatchLimit = 256;

}  // namespace

absl::Status AdvertSocket::Send(const Outgoing& datagram) {
  std::vector<std::pair<size_t, absl::Status>> failed =
      SendBatch(std::span<const Outgoing>(&datagram, 1));
  return failed.empty() ? absl::OkStatus() : failed[0].second;
}

std::vector<std::pair<size_t, absl::Status>> AdvertSocket::SendBatch(
    std::span<const Outgoing> batch) {
  std::vector<std::pair<size_t, absl::Status>> failed;
  std::vector<Prepared> prepared(std::min(batch.size(), kBatchLimit));
  std::vector<mmsghdr> messages(prepared.size());
  for (size_t start = 0; start < batch.size(); start += kBatchLimit) {
    size_t count = std::min(kBatchLimit, batch.size() - start);
    for (size_t i = 0; i < count; ++i)
      Prepare(batch[start + i], ifindex_, prepared[i], messages[i].msg_hdr);
    // sendmmsg stops at the first datagram that fails: note it, go on.
    for (size_t sent = 0; sent < count;) {
      int n = sendmmsg(fd_.get(), &messages[sent],
                       static_cast<unsigned>(count - sent), MSG_DONTWAIT);
      if (n > 0) {
        sent += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      failed.emplace_back(start + sent,
                          ErrnoStatus(errno, "send advert on " + interface_));
      ++sent;
    }
  }
  return failed;
}

namespace {

// The kernel stamps with the wall clock; the age is what the monotonic
// timers need. Bounded, so a step of the wall clock between the stamp and
// now cannot move a timer by more than a few milliseconds.
constexpr std::chrono::microseconds kMaxAge{20'000};

void ReadTimestamp(const cmsghdr* c, vrrp::Envelope& envelope) {
  if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS ||
      c->cmsg_len < CMSG_LEN(sizeof(timespec))) {
    return;
  }
  timespec stamp;
  std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  auto age = std::chrono::seconds(now.tv_sec - stamp.tv_sec) +
             std::chrono::nanoseconds(now.tv_nsec - stamp.tv_nsec);
  envelope.age =
      std::clamp(std::chrono::duration_cast<std::chrono::microseconds>(age),
                 std::chrono::microseconds(0), kMaxAge);
}

}  // namespace

void AdvertSocket::Drain(const Handler& handle) {
  if (primary_.is_v6()) {
    DrainIpv6(handle);
  } else {
    DrainIpv4(handle);
  }
}

void AdvertSocket::DrainIpv4(const Handler& handle) {
  for (;;) {
    iovec iov{buffer_.get(), kBufferSize};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t got = recvmsg(fd_.get(), &msg, MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EINTR) continue;
      return;  // EAGAIN, or an error the next readiness will show again
    }
    vrrp::Envelope envelope;
    std::span<const uint8_t> payload;
    vrrp::DropReason verdict = vrrp::SplitIpv4(
        std::span<const uint8_t>(buffer_.get(), static_cast<size_t>(got)),
        &envelope, &payload);
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr;
         c = CMSG_NXTHDR(&msg, c)) {
      ReadTimestamp(c, envelope);
    }
    handle(verdict, envelope, payload);
  }
}

// An IPv6 raw socket delivers the payload only; the source comes from the
// address, the hop limit and the destination from ancillary data.
void AdvertSocket::DrainIpv6(const Handler& handle) {
  for (;;) {
    sockaddr_in6 from{};
    iovec iov{buffer_.get(), kBufferSize};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in6_pktinfo)) +
                                  CMSG_SPACE(sizeof(int)) +
                                  CMSG_SPACE(sizeof(timespec))];
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t got = recvmsg(fd_.get(), &msg, MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EINTR) continue;
      return;
    }
    vrrp::Envelope envelope;
    envelope.source = *IpAddress::FromBytes(
        absl::string_view(reinterpret_cast<const char*>(&from.sin6_addr), 16));
    bool have_hops = false;
    bool have_destination = false;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr;
         c = CMSG_NXTHDR(&msg, c)) {
      ReadTimestamp(c, envelope);
      if (c->cmsg_level != IPPROTO_IPV6) continue;
      if (c->cmsg_type == IPV6_HOPLIMIT &&
          c->cmsg_len >= CMSG_LEN(sizeof(int))) {
        int hops;
        std::memcpy(&hops, CMSG_DATA(c), sizeof hops);
        envelope.ttl = static_cast<uint8_t>(hops);
        have_hops = true;
      } else if (c->cmsg_type == IPV6_PKTINFO &&
                 c->cmsg_len >= CMSG_LEN(sizeof(in6_pktinfo))) {
        in6_pktinfo info;
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        envelope.destination = *IpAddress::FromBytes(absl::string_view(
            reinterpret_cast<const char*>(&info.ipi6_addr), 16));
        have_destination = true;
      }
    }
    vrrp::DropReason verdict =
        have_hops && have_destination && !(msg.msg_flags & MSG_TRUNC)
            ? vrrp::DropReason::kNone
            : vrrp::DropReason::kBadIpHeader;
    handle(verdict, envelope,
           std::span<const uint8_t>(buffer_.get(), static_cast<size_t>(got)));
  }
}

}  // namespace vigil::brain
