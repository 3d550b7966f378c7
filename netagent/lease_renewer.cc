#include "netagent/lease_renewer.h"

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/ip_address.h"
#include "common/status_macros.h"

namespace vigil::agent {
namespace {

// Renewals per datagram: well inside the socket's send buffer.
constexpr size_t kMaxBatchBytes = 64 * 1024;

}  // namespace

absl::StatusOr<LeaseRenewer> LeaseRenewer::Open() {
  UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd.valid()) return ErrnoStatus(errno, "netlink socket");
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
    return ErrnoStatus(errno, "netlink bind");
  return LeaseRenewer(std::move(fd));
}

void LeaseRenewer::Append(const Lease& lease, uint32_t lifetime_s,
                          uint32_t seq) {
  bool v4 = lease.address.size() == 4;
  auto attribute = [](uint16_t type, const void* data, size_t size) {
    std::string out(NLA_HDRLEN + NLA_ALIGN(size), '\0');
    nlattr header{static_cast<uint16_t>(NLA_HDRLEN + size), type};
    std::memcpy(out.data(), &header, sizeof header);
    std::memcpy(out.data() + NLA_HDRLEN, data, size);
    return out;
  };
  ifa_cacheinfo cache{};
  cache.ifa_prefered = lifetime_s;
  cache.ifa_valid = lifetime_s;
  std::string body =
      attribute(IFA_LOCAL, lease.address.data(), lease.address.size()) +
      attribute(IFA_ADDRESS, lease.address.data(), lease.address.size()) +
      attribute(IFA_CACHEINFO, &cache, sizeof cache);
  ifaddrmsg message{};
  message.ifa_family = v4 ? AF_INET : AF_INET6;
  message.ifa_prefixlen = static_cast<uint8_t>(lease.prefix_len);
  // A VIP must never sit in DAD (see AddressManager).
  message.ifa_flags = v4 ? 0 : IFA_F_NODAD;
  message.ifa_index = static_cast<uint32_t>(lease.ifindex);
  nlmsghdr header{};
  header.nlmsg_len = static_cast<uint32_t>(
      NLMSG_HDRLEN + NLMSG_ALIGN(sizeof message) + body.size());
  header.nlmsg_type = RTM_NEWADDR;
  // Create too: a VIP someone deleted comes back, as with the first add.
  header.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE;
  header.nlmsg_seq = seq;
  size_t at = batch_.size();
  batch_.resize(at + NLMSG_ALIGN(header.nlmsg_len), '\0');
  std::memcpy(batch_.data() + at, &header, sizeof header);
  std::memcpy(batch_.data() + at + NLMSG_HDRLEN, &message, sizeof message);
  std::memcpy(batch_.data() + at + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof message),
              body.data(), body.size());
}

std::vector<std::string> LeaseRenewer::Renew(const std::vector<Lease>& leases,
                                             uint32_t lifetime_s) {
  std::vector<std::string> errors;
  for (size_t start = 0; start < leases.size();) {
    batch_.clear();
    uint32_t first_seq = next_seq_;
    size_t end = start;
    while (end < leases.size() && batch_.size() < kMaxBatchBytes)
      Append(leases[end++], lifetime_s, next_seq_++);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (sendto(fd_.get(), batch_.data(), batch_.size(), 0,
               reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) {
      errors.push_back(absl::StrCat("renewing ", end - start,
                                    " VIP leases: ", strerror(errno)));
    }
    std::vector<Lease> sent(leases.begin() + static_cast<long>(start),
                            leases.begin() + static_cast<long>(end));
    for (std::string& e : CollectErrors(sent, first_seq))
      errors.push_back(std::move(e));
    start = end;
  }
  return errors;
}

// The kernel answered while we sent: whatever is queued now is all there is.
std::vector<std::string> LeaseRenewer::CollectErrors(
    const std::vector<Lease>& leases, uint32_t first_seq) {
  std::vector<std::string> errors;
  char buffer[8192];
  for (;;) {
    ssize_t got = recv(fd_.get(), buffer, sizeof buffer, MSG_DONTWAIT);
    if (got <= 0) break;
    int remaining = static_cast<int>(got);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buffer); NLMSG_OK(h, remaining);
         h = NLMSG_NEXT(h, remaining)) {
      if (h->nlmsg_type != NLMSG_ERROR) continue;
      const auto* error = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
      if (error->error == 0) continue;
      size_t index = h->nlmsg_seq - first_seq;
      std::string what = index < leases.size()
                             ? IpAddress::FromBytes(leases[index].address)
                                   .value_or(IpAddress())
                                   .ToString()
                             : "an address";
      errors.push_back(absl::StrCat("renewing the lease of ", what, ": ",
                                    strerror(-error->error)));
    }
  }
  return errors;
}

}  // namespace vigil::agent
