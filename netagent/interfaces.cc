#include "netagent/interfaces.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/unique_fd.h"

namespace vigil::agent {

absl::StatusOr<InterfaceInfo> LookUpInterface(const std::string& name,
                                              const std::set<IpAddress>& vips) {
  InterfaceInfo info;
  info.name = name;
  if (name.empty() || name.size() >= IFNAMSIZ) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad interface name '", name, "'"));
  }
  info.ifindex = static_cast<int>(if_nametoindex(name.c_str()));
  if (info.ifindex == 0) {
    return absl::NotFoundError(
        absl::StrCat("interface ", name, " does not exist"));
  }
  UniqueFd probe(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!probe.valid()) return ErrnoStatus(errno, "socket");
  ifreq request{};
  std::memcpy(request.ifr_name, name.data(), name.size());
  if (ioctl(probe.get(), SIOCGIFHWADDR, &request) != 0) {
    return ErrnoStatus(errno, absl::StrCat("SIOCGIFHWADDR ", name));
  }
  std::memcpy(info.mac.data(), request.ifr_hwaddr.sa_data, 6);

  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return ErrnoStatus(errno, "getifaddrs");
  for (ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || name != a->ifa_name) continue;
    if (a->ifa_addr->sa_family == AF_INET && !info.primary_ipv4) {
      IpAddress address = IpAddress::V4(
          reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr.s_addr);
      if (!vips.count(address)) info.primary_ipv4 = address;
    } else if (a->ifa_addr->sa_family == AF_INET6 && !info.link_local) {
      const in6_addr& raw =
          reinterpret_cast<sockaddr_in6*>(a->ifa_addr)->sin6_addr;
      IpAddress address = *IpAddress::FromBytes(
          absl::string_view(reinterpret_cast<const char*>(&raw), 16));
      if (address.is_link_local() && !vips.count(address))
        info.link_local = address;
    }
  }
  freeifaddrs(list);
  return info;
}

}  // namespace vigil::agent
