#include "netagent/vmac.h"

#include <linux/if_link.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <sys/socket.h>

#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace vigil::agent {
namespace {

struct Deleter {
  void operator()(rtnl_link* l) const { rtnl_link_put(l); }
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};

void WriteSysctl(const std::string& path, const char* value) {
  std::ofstream out(path);
  out << value;
  if (!out) LOG_WARNING("cannot set %s to %s", path, value);
}

}  // namespace

std::array<uint8_t, 6> VirtualRouterMac(uint8_t vrid, bool ipv6) {
  return {0x00, 0x00, 0x5e, 0x00, static_cast<uint8_t>(ipv6 ? 0x02 : 0x01),
          vrid};
}

absl::Status CreateVmac(const RouteSocket& socket, const std::string& name,
                        const std::string& base, uint8_t vrid, bool ipv6) {
  int base_index = static_cast<int>(if_nametoindex(base.c_str()));
  if (base_index == 0)
    return absl::NotFoundError(absl::StrCat("no interface ", base));
  DeleteVmac(socket, name);
  std::unique_ptr<rtnl_link, Deleter> link(rtnl_link_macvlan_alloc());
  std::array<uint8_t, 6> mac = VirtualRouterMac(vrid, ipv6);
  std::unique_ptr<nl_addr, Deleter> address(
      nl_addr_build(AF_LLC, mac.data(), mac.size()));
  if (!link || !address)
    return absl::ResourceExhaustedError("libnl allocation");
  rtnl_link_set_name(link.get(), name.c_str());
  rtnl_link_set_link(link.get(), base_index);
  rtnl_link_set_addr(link.get(), address.get());
  rtnl_link_macvlan_set_mode(link.get(), MACVLAN_MODE_PRIVATE);
  rtnl_link_set_flags(link.get(), IFF_UP);
  if (int err =
          rtnl_link_add(socket.get(), link.get(), NLM_F_CREATE | NLM_F_EXCL);
      err < 0) {
    return absl::InternalError(absl::StrCat("creating VMAC ", name, " on ",
                                            base, ": ", nl_geterror(err)));
  }
  WriteSysctl(absl::StrCat("/proc/sys/net/ipv4/conf/", base, "/arp_ignore"),
              "1");
  WriteSysctl(absl::StrCat("/proc/sys/net/ipv4/conf/", base, "/arp_filter"),
              "1");
  return absl::OkStatus();
}

void DeleteVmac(const RouteSocket& socket, const std::string& name) {
  std::unique_ptr<rtnl_link, Deleter> link(rtnl_link_alloc());
  if (!link) return;
  rtnl_link_set_name(link.get(), name.c_str());
  int err = rtnl_link_delete(socket.get(), link.get());
  if (err < 0 && err != -NLE_NODEV && err != -NLE_OBJ_NOTFOUND) {
    LOG_WARNING("removing VMAC %s: %s", name, nl_geterror(err));
  }
}

}  // namespace vigil::agent
