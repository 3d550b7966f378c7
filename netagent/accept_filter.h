#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/ip_address.h"
#include "common/unique_fd.h"

namespace vigil::agent {

// One rule of the Accept_Mode chain, in order.
struct FilterRule {
  enum class Action {
    kAcceptNeighbourDiscovery,  // IPv6 NS/NA to the VIP must get through
    kDrop,                      // everything else to the VIP
  };
  IpAddress vip;
  Action action;

  bool operator==(const FilterRule&) const = default;
};

// The rules that make `vips` unreachable except for neighbour discovery.
// ARP is not IP, so an inet-family chain never sees it.
std::vector<FilterRule> PlanNoAcceptRules(const std::set<IpAddress>& vips);

// The nfnetlink transaction that replaces the table with rules for `vips`
// (or deletes it when `vips` is empty); each message asks for an ack.
struct NfTransaction {
  std::string bytes;
  std::vector<uint32_t> acked_seqs;
};
NfTransaction BuildNoAcceptTransaction(const std::set<IpAddress>& vips,
                                       uint32_t first_seq);

// Accept_Mode false (RFC 5798 6.4.3): the agent's own nf_tables table
// ("inet vigil", chain "no_accept" on the input hook) drops traffic addressed
// to the VIPs of no_accept instances. It talks nfnetlink directly, so no nft
// or iptables binary is needed.
// Runs in: netagent (CAP_NET_ADMIN). Input: addresses from the agent's config.
class AcceptFilter {
 public:
  static absl::StatusOr<AcceptFilter> Open();

  // Replaces the whole table in one transaction: drop rules for `vips`, or
  // no table at all when `vips` is empty.
  absl::Status Apply(const std::set<IpAddress>& vips);

 private:
  explicit AcceptFilter(UniqueFd socket) : socket_(std::move(socket)) {}
  absl::Status Exchange(const NfTransaction& transaction);

  UniqueFd socket_;
  uint32_t next_seq_ = 1;
};

}  // namespace vigil::agent
