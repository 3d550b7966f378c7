#include "netagent/link_monitor.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "common/netlink_messages.h"
#include "common/status_macros.h"

namespace vigil::agent {
namespace {

bool FlagsUp(unsigned flags) {
  return (flags & IFF_UP) && (flags & IFF_RUNNING);
}

std::string LinkName(const nlmsghdr* h) {
  const auto* info = static_cast<const ifinfomsg*>(NLMSG_DATA(h));
  int length = static_cast<int>(IFLA_PAYLOAD(h));
  for (const rtattr* a = IFLA_RTA(info); RTA_OK(a, length);
       a = RTA_NEXT(a, length)) {
    if (a->rta_type == IFLA_IFNAME) {
      const char* name = static_cast<const char*>(RTA_DATA(a));
      return std::string(name, strnlen(name, RTA_PAYLOAD(a)));
    }
  }
  return "";
}

}  // namespace

absl::StatusOr<LinkMonitor> LinkMonitor::Open() {
  UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
                     NETLINK_ROUTE));
  if (!fd.valid()) return ErrnoStatus(errno, "rtnetlink socket");
  sockaddr_nl address{};
  address.nl_family = AF_NETLINK;
  address.nl_groups = RTMGRP_LINK;
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) <
      0) {
    return ErrnoStatus(errno, "rtnetlink link notifications");
  }
  return LinkMonitor(std::move(fd));
}

void LinkMonitor::Drain(
    const std::function<void(const std::string&, bool)>& changed) {
  std::vector<char> buffer(32768);
  for (;;) {
    ssize_t n = recv(socket_.get(), buffer.data(), buffer.size(), 0);
    if (n <= 0) return;  // EAGAIN; ENOBUFS (overrun) is healed by IsUp callers
    ForEachNetlinkMessage(
        buffer.data(), static_cast<size_t>(n), [&](const nlmsghdr* h) {
          if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK)
            return;
          if (h->nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg))) return;
          std::string name = LinkName(h);
          if (name.empty()) return;
          const auto* info = static_cast<const ifinfomsg*>(NLMSG_DATA(h));
          changed(name,
                  h->nlmsg_type == RTM_NEWLINK && FlagsUp(info->ifi_flags));
        });
  }
}

bool LinkMonitor::IsUp(const std::string& name) {
  UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ifreq request{};
  if (!fd.valid() || name.size() >= sizeof(request.ifr_name)) return false;
  std::memcpy(request.ifr_name, name.data(), name.size());
  if (ioctl(fd.get(), SIOCGIFFLAGS, &request) < 0) return false;
  return FlagsUp(static_cast<unsigned>(request.ifr_flags));
}

}  // namespace vigil::agent
