#include "netagent/address_manager.h"

#include <linux/if_addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <sys/socket.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/ip_address.h"
#include "common/status_macros.h"

namespace vigil::agent {
namespace {

struct AddrDeleter {
  void operator()(rtnl_addr* a) const { rtnl_addr_put(a); }
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};

}  // namespace

absl::StatusOr<AddressManager> AddressManager::Open() {
  ASSIGN_OR_RETURN(RouteSocket socket, RouteSocket::Open());
  return AddressManager(std::move(socket));
}

absl::StatusOr<bool> AddressManager::Add(int ifindex, absl::string_view address,
                                         int prefix_len, uint32_t lifetime_s) {
  ASSIGN_OR_RETURN(bool added,
                   Change(Op::kAdd, ifindex, address, prefix_len, lifetime_s));
  // Already there (from before a restart, or a second activation): its lease
  // still has to be ours.
  if (!added && lifetime_s > 0)
    RETURN_IF_ERROR(Renew(ifindex, address, prefix_len, lifetime_s));
  return added;
}

absl::Status AddressManager::Renew(int ifindex, absl::string_view address,
                                   int prefix_len, uint32_t lifetime_s) {
  return Change(Op::kRenew, ifindex, address, prefix_len, lifetime_s).status();
}

absl::StatusOr<bool> AddressManager::Remove(int ifindex,
                                            absl::string_view address,
                                            int prefix_len) {
  return Change(Op::kRemove, ifindex, address, prefix_len, 0);
}

absl::StatusOr<bool> AddressManager::Change(Op op, int ifindex,
                                            absl::string_view address,
                                            int prefix_len,
                                            uint32_t lifetime_s) {
  bool add = op != Op::kRemove;
  int family = address.size() == 4 ? AF_INET : AF_INET6;
  std::unique_ptr<rtnl_addr, AddrDeleter> request(rtnl_addr_alloc());
  std::unique_ptr<nl_addr, AddrDeleter> local(
      nl_addr_build(family, address.data(), address.size()));
  if (!request || !local)
    return absl::ResourceExhaustedError("libnl allocation");
  nl_addr_set_prefixlen(local.get(), prefix_len);
  rtnl_addr_set_ifindex(request.get(), ifindex);
  rtnl_addr_set_family(request.get(), family);
  if (int err = rtnl_addr_set_local(request.get(), local.get()); err < 0) {
    return absl::InternalError(
        absl::StrCat("rtnl_addr_set_local: ", nl_geterror(err)));
  }
  rtnl_addr_set_prefixlen(request.get(), prefix_len);
  // A VIP must never sit in DAD: with a split brain it would end dadfailed.
  if (family == AF_INET6) rtnl_addr_set_flags(request.get(), IFA_F_NODAD);
  if (add && lifetime_s > 0) {
    // The kernel removes the VIP itself when nobody renews it.
    rtnl_addr_set_valid_lifetime(request.get(), lifetime_s);
    rtnl_addr_set_preferred_lifetime(request.get(), lifetime_s);
  }

  int err = add ? rtnl_addr_add(socket_.get(), request.get(),
                                op == Op::kRenew ? NLM_F_REPLACE : 0)
                : rtnl_addr_delete(socket_.get(), request.get(), 0);
  if (err == -NLE_EXIST && add) return false;
  if ((err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) &&
      !add) {
    return false;
  }
  if (err < 0) {
    return absl::InternalError(absl::StrCat(
        op == Op::kAdd     ? "add "
        : op == Op::kRenew ? "renew "
                           : "remove ",
        IpAddress::FromBytes(address).value_or(IpAddress()).ToString(), "/",
        prefix_len, " on ifindex ", ifindex, ": ", nl_geterror(err)));
  }
  return true;
}

}  // namespace vigil::agent
