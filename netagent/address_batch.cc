#include "netagent/address_batch.h"

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/ip_address.h"
#include "common/status_macros.h"

namespace vigil::agent {
namespace {

// Requests per datagram: the kernel's errors for a whole batch (a few
// hundred bytes of buffer each) must fit the receive queue, or some would
// be lost and a failure taken for a success.
constexpr size_t kBatchRequests = 128;

void AppendAttribute(std::string& out, uint16_t type, const void* data,
                     size_t size) {
  nlattr header{static_cast<uint16_t>(NLA_HDRLEN + size), type};
  out.append(reinterpret_cast<const char*>(&header), sizeof header);
  out.append(static_cast<const char*>(data), size);
  out.append(NLA_ALIGN(size) - size, '\0');
}

uint16_t RequestFlags(AddressBatch::Op op) {
  switch (op) {
    case AddressBatch::Op::kAdd:
      // Exclusive, so the kernel says whether the address was there.
      return NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
    case AddressBatch::Op::kRenew:
      // Create too: a VIP someone deleted comes back, as with the first add.
      return NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE;
    case AddressBatch::Op::kRemove:
      return NLM_F_REQUEST;
  }
  return NLM_F_REQUEST;
}

const char* Verb(AddressBatch::Op op) {
  switch (op) {
    case AddressBatch::Op::kAdd:
      return "add";
    case AddressBatch::Op::kRenew:
      return "renew";
    case AddressBatch::Op::kRemove:
      return "remove";
  }
  return "change";
}

std::string Describe(const AddressBatch::Address& address) {
  return absl::StrCat(
      IpAddress::FromBytes(address.bytes).value_or(IpAddress()).ToString(), "/",
      address.prefix_len, " on ifindex ", address.ifindex);
}

}  // namespace

std::string AddressRequest(AddressBatch::Op op,
                           const AddressBatch::Address& address,
                           uint32_t lifetime_s, uint32_t seq) {
  bool v4 = address.bytes.size() == 4;
  std::string body;
  AppendAttribute(body, IFA_LOCAL, address.bytes.data(), address.bytes.size());
  AppendAttribute(body, IFA_ADDRESS, address.bytes.data(),
                  address.bytes.size());
  if (op != AddressBatch::Op::kRemove && lifetime_s > 0) {
    // The kernel removes the VIP itself when nobody renews it.
    ifa_cacheinfo cache{};
    cache.ifa_prefered = lifetime_s;
    cache.ifa_valid = lifetime_s;
    AppendAttribute(body, IFA_CACHEINFO, &cache, sizeof cache);
  }
  ifaddrmsg message{};
  message.ifa_family = v4 ? AF_INET : AF_INET6;
  message.ifa_prefixlen = static_cast<uint8_t>(address.prefix_len);
  // A VIP must never sit in DAD: with a split brain it would end dadfailed.
  message.ifa_flags = v4 ? 0 : IFA_F_NODAD;
  message.ifa_index = static_cast<uint32_t>(address.ifindex);
  nlmsghdr header{};
  header.nlmsg_len = static_cast<uint32_t>(
      NLMSG_HDRLEN + NLMSG_ALIGN(sizeof message) + body.size());
  header.nlmsg_type =
      op == AddressBatch::Op::kRemove ? RTM_DELADDR : RTM_NEWADDR;
  header.nlmsg_flags = RequestFlags(op);
  header.nlmsg_seq = seq;
  std::string out(reinterpret_cast<const char*>(&header), sizeof header);
  out.append(reinterpret_cast<const char*>(&message), sizeof message);
  out.append(NLMSG_ALIGN(sizeof message) - sizeof message, '\0');
  return out + body;
}

bool AlreadySo(AddressBatch::Op op, int error) {
  switch (op) {
    case AddressBatch::Op::kAdd:
      return error == EEXIST;
    case AddressBatch::Op::kRemove:
      return error == EADDRNOTAVAIL || error == ENOENT || error == ENODEV;
    case AddressBatch::Op::kRenew:
      return false;
  }
  return false;
}

absl::StatusOr<AddressBatch> AddressBatch::Open() {
  UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd.valid()) return ErrnoStatus(errno, "netlink socket");
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
    return ErrnoStatus(errno, "netlink bind");
  // Errors without a copy of the request: more of them fit the queue.
  int on = 1;
  (void)setsockopt(fd.get(), SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof on);
  return AddressBatch(std::move(fd));
}

std::vector<AddressBatch::Outcome> AddressBatch::Apply(
    Op op, std::span<const Address> addresses, uint32_t lifetime_s) {
  std::vector<Outcome> outcomes(addresses.size());
  for (size_t begin = 0; begin < addresses.size(); begin += kBatchRequests) {
    size_t end = std::min(addresses.size(), begin + kBatchRequests);
    Send(op, addresses, begin, end, lifetime_s, outcomes);
  }
  if (op != Op::kAdd || lifetime_s == 0) return outcomes;
  // Present already (from before a restart, or a second activation): its
  // lease still has to be ours.
  std::vector<Address> present;
  std::vector<size_t> where;
  for (size_t i = 0; i < addresses.size(); ++i) {
    if (outcomes[i].changed || !outcomes[i].error.empty()) continue;
    present.push_back(addresses[i]);
    where.push_back(i);
  }
  std::vector<Outcome> renewed = Apply(Op::kRenew, present, lifetime_s);
  for (size_t k = 0; k < where.size(); ++k)
    outcomes[where[k]].error = std::move(renewed[k].error);
  return outcomes;
}

void AddressBatch::Send(Op op, std::span<const Address> addresses, size_t begin,
                        size_t end, uint32_t lifetime_s,
                        std::vector<Outcome>& outcomes) {
  batch_.clear();
  uint32_t first_seq = next_seq_;
  for (size_t i = begin; i < end; ++i)
    batch_ += AddressRequest(op, addresses[i], lifetime_s, next_seq_++);
  for (size_t i = begin; i < end; ++i) outcomes[i].changed = true;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd_.get(), batch_.data(), batch_.size(), 0,
             reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) {
    std::string error = strerror(errno);
    for (size_t i = begin; i < end; ++i) {
      outcomes[i] = {false, absl::StrCat(Verb(op), " ", Describe(addresses[i]),
                                         ": ", error)};
    }
    return;
  }
  CollectErrors(op, addresses, begin, end, first_seq, outcomes);
}

// The kernel answered while we sent: whatever is queued now is all there is.
void AddressBatch::CollectErrors(Op op, std::span<const Address> addresses,
                                 size_t begin, size_t end, uint32_t first_seq,
                                 std::vector<Outcome>& outcomes) {
  char buffer[8192];
  for (;;) {
    ssize_t got = recv(fd_.get(), buffer, sizeof buffer, MSG_DONTWAIT);
    if (got <= 0) break;
    auto size = static_cast<size_t>(got);
    // NLMSG_OK/NLMSG_NEXT, spelled out: the macros compare signed with
    // unsigned, which clang refuses.
    for (size_t offset = 0; offset + sizeof(nlmsghdr) <= size;) {
      const auto* h = reinterpret_cast<const nlmsghdr*>(buffer + offset);
      if (h->nlmsg_len < sizeof(nlmsghdr) || h->nlmsg_len > size - offset)
        break;
      offset += NLMSG_ALIGN(h->nlmsg_len);
      if (h->nlmsg_type != NLMSG_ERROR) continue;
      const auto* error = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
      size_t i = begin + (h->nlmsg_seq - first_seq);
      if (error->error == 0 || i < begin || i >= end) continue;
      Outcome& outcome = outcomes[i];
      outcome.changed = false;
      if (AlreadySo(op, -error->error)) continue;
      outcome.error = absl::StrCat(Verb(op), " ", Describe(addresses[i]), ": ",
                                   strerror(-error->error));
    }
  }
}

}  // namespace vigil::agent
