#include "netagent/vrrp_sockets.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/vrrp_constants.h"

namespace vigil::agent {
namespace {

absl::Status SetOption(int fd, int level, int name, const void* value,
                       socklen_t size, const char* what,
                       const std::string& interface) {
  if (setsockopt(fd, level, name, value, size) != 0) {
    return ErrnoStatus(errno, absl::StrCat(what, " on ", interface));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<UniqueFd> OpenVrrpSocket(const InterfaceInfo& interface,
                                        int family,
                                        const std::set<IpAddress>& groups) {
  UniqueFd fd(socket(family, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
                     vrrp::kIpProtoVrrp));
  if (!fd.valid())
    return ErrnoStatus(errno, "raw VRRP socket (needs CAP_NET_RAW)");
  const std::string& name = interface.name;
  RETURN_IF_ERROR(SetOption(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, name.c_str(),
                            static_cast<socklen_t>(name.size()),
                            "SO_BINDTODEVICE", name));
  int on = 1;
  int off = 0;
  int hops = vrrp::kRequiredTtl;
  // The kernel's receive time of each advert: a backup's down timer starts
  // when the master's advert arrived, not when the brain got round to it.
  RETURN_IF_ERROR(SetOption(fd.get(), SOL_SOCKET, SO_TIMESTAMPNS, &on,
                            sizeof on, "SO_TIMESTAMPNS", name));
  if (family == AF_INET6) {
    for (const IpAddress& group_address : groups) {
      ipv6_mreq group{};
      std::memcpy(&group.ipv6mr_multiaddr, group_address.data(), 16);
      group.ipv6mr_interface = static_cast<unsigned>(interface.ifindex);
      RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP,
                                &group, sizeof group, "IPV6_ADD_MEMBERSHIP",
                                name));
    }
    RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IPV6, IPV6_MULTICAST_IF,
                              &interface.ifindex, sizeof interface.ifindex,
                              "IPV6_MULTICAST_IF", name));
    RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
                              &hops, sizeof hops, "IPV6_MULTICAST_HOPS", name));
    RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off,
                              sizeof off, "IPV6_MULTICAST_LOOP", name));
    RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IPV6, IPV6_MULTICAST_ALL, &off,
                              sizeof off, "IPV6_MULTICAST_ALL", name));
    RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on,
                              sizeof on, "IPV6_RECVHOPLIMIT", name));
    RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
                              sizeof on, "IPV6_RECVPKTINFO", name));
    return fd;
  }
  for (const IpAddress& group_address : groups) {
    ip_mreqn group{};
    group.imr_multiaddr.s_addr = group_address.v4();
    group.imr_ifindex = interface.ifindex;
    RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &group,
                              sizeof group, "IP_ADD_MEMBERSHIP", name));
  }
  ip_mreqn out{};
  out.imr_ifindex = interface.ifindex;
  RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IP, IP_MULTICAST_IF, &out,
                            sizeof out, "IP_MULTICAST_IF", name));
  RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IP, IP_MULTICAST_TTL, &hops,
                            sizeof hops, "IP_MULTICAST_TTL", name));
  RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IP, IP_MULTICAST_LOOP, &off,
                            sizeof off, "IP_MULTICAST_LOOP", name));
  // Only groups joined on this socket, not every group of the host.
  RETURN_IF_ERROR(SetOption(fd.get(), IPPROTO_IP, IP_MULTICAST_ALL, &off,
                            sizeof off, "IP_MULTICAST_ALL", name));
  return fd;
}

}  // namespace vigil::agent
