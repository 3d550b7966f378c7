#include "daemon/advert_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "common/status_macros.h"
#include "daemon/vrrp_packet.h"

namespace vigil::brain {

AdvertSocket::AdvertSocket(UniqueFd fd, std::string interface, int ifindex,
                           uint32_t primary_address)
    : fd_(std::move(fd)),
      interface_(std::move(interface)),
      ifindex_(ifindex),
      primary_address_(primary_address),
      buffer_(65536) {}

absl::Status AdvertSocket::Send(std::span<const uint8_t> payload, uint32_t source,
                                uint32_t destination, uint8_t ttl) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = destination;
  iovec iov{const_cast<uint8_t*>(payload.data()), payload.size()};
  // Pin the source: once a VIP is on the interface the kernel could otherwise
  // pick it. The TTL travels with each datagram (unicast peers may differ
  // from the multicast TTL the socket was opened with).
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in_pktinfo)) + CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_name = &to;
  msg.msg_namelen = sizeof to;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = IPPROTO_IP;
  c->cmsg_type = IP_PKTINFO;
  c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
  in_pktinfo info{};
  info.ipi_ifindex = ifindex_;
  info.ipi_spec_dst.s_addr = source;
  std::memcpy(CMSG_DATA(c), &info, sizeof info);
  c = CMSG_NXTHDR(&msg, c);
  c->cmsg_level = IPPROTO_IP;
  c->cmsg_type = IP_TTL;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  int ttl_value = ttl;
  std::memcpy(CMSG_DATA(c), &ttl_value, sizeof ttl_value);
  if (sendmsg(fd_.get(), &msg, MSG_DONTWAIT) < 0) {
    return ErrnoStatus(errno, "send advert on " + interface_);
  }
  return absl::OkStatus();
}

void AdvertSocket::Drain(const std::function<void(std::span<const uint8_t>)>& handle) {
  for (;;) {
    ssize_t got = recv(fd_.get(), buffer_.data(), buffer_.size(), MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EINTR) continue;
      return;  // EAGAIN, or an error the next readiness will show again
    }
    handle(std::span<const uint8_t>(buffer_.data(), static_cast<size_t>(got)));
  }
}

}  // namespace vigil::brain
