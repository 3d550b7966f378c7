#include "netagent/route_manager.h"

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/route.h>
#include <sys/socket.h>

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vigil::agent {
namespace {

struct Deleter {
  void operator()(rtnl_route* r) const { rtnl_route_put(r); }
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};
using Address = std::unique_ptr<nl_addr, Deleter>;

Address MakeAddress(const std::string& bytes, int prefix_len) {
  Address a(nl_addr_build(bytes.size() == 16 ? AF_INET6 : AF_INET, bytes.data(),
                          bytes.size()));
  if (a) nl_addr_set_prefixlen(a.get(), prefix_len);
  return a;
}

uint8_t KernelType(config::VirtualRoute::Type type) {
  switch (type) {
    case config::VirtualRoute::BLACKHOLE:
      return RTN_BLACKHOLE;
    case config::VirtualRoute::UNREACHABLE:
      return RTN_UNREACHABLE;
    case config::VirtualRoute::PROHIBIT:
      return RTN_PROHIBIT;
    default:
      return RTN_UNICAST;
  }
}

}  // namespace

absl::StatusOr<RouteManager> RouteManager::Open() {
  ASSIGN_OR_RETURN(RouteSocket socket, RouteSocket::Open());
  return RouteManager(std::move(socket));
}

absl::StatusOr<bool> RouteManager::Add(const config::VirtualRoute& route,
                                       int ifindex) {
  return Change(true, route, ifindex);
}

absl::StatusOr<bool> RouteManager::Remove(const config::VirtualRoute& route,
                                          int ifindex) {
  return Change(false, route, ifindex);
}

absl::StatusOr<bool> RouteManager::Change(bool add,
                                          const config::VirtualRoute& route,
                                          int ifindex) {
  std::unique_ptr<rtnl_route, Deleter> request(rtnl_route_alloc());
  Address destination =
      MakeAddress(route.destination(), static_cast<int>(route.prefix_len()));
  if (!request || !destination)
    return absl::ResourceExhaustedError("libnl allocation");
  int family = route.destination().size() == 16 ? AF_INET6 : AF_INET;
  rtnl_route_set_family(request.get(), static_cast<uint8_t>(family));
  rtnl_route_set_dst(request.get(), destination.get());
  rtnl_route_set_table(request.get(),
                       route.table() == 0 ? RT_TABLE_MAIN : route.table());
  rtnl_route_set_type(request.get(), KernelType(route.type()));
  rtnl_route_set_protocol(request.get(), RTPROT_STATIC);
  if (route.metric() != 0)
    rtnl_route_set_priority(request.get(), route.metric());
  if (!route.source().empty()) {
    Address source = MakeAddress(route.source(),
                                 static_cast<int>(route.source().size() * 8));
    rtnl_route_set_pref_src(request.get(), source.get());
  }
  if (route.type() == config::VirtualRoute::UNICAST) {
    int index = route.dev().empty()
                    ? ifindex
                    : static_cast<int>(if_nametoindex(route.dev().c_str()));
    if (index == 0) {
      return absl::NotFoundError(
          absl::StrCat("route ", route.text(), ": no interface ", route.dev()));
    }
    rtnl_nexthop* hop = rtnl_route_nh_alloc();
    rtnl_route_nh_set_ifindex(hop, index);
    if (!route.gateway().empty()) {
      Address gateway = MakeAddress(
          route.gateway(), static_cast<int>(route.gateway().size() * 8));
      rtnl_route_nh_set_gateway(hop, gateway.get());
    }
    rtnl_route_add_nexthop(request.get(), hop);  // the route owns it now
  }
  int err = add ? rtnl_route_add(socket_.get(), request.get(), NLM_F_REPLACE)
                : rtnl_route_delete(socket_.get(), request.get(), 0);
  if (!add &&
      (err == -NLE_OBJ_NOTFOUND || err == -NLE_NOADDR || err == -NLE_NODEV)) {
    return false;
  }
  if (err < 0) {
    return absl::InternalError(absl::StrCat(add ? "add" : "remove", " route ",
                                            route.text(), ": ",
                                            nl_geterror(err)));
  }
  return true;
}

}  // namespace vigil::agent
