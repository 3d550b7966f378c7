#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/unique_fd.h"

namespace vigil::agent {

// Renews the kernel lifetime of many VIPs with one system call: every
// RTM_NEWADDR (create or replace) goes out in a single netlink datagram
// without acknowledgements, and the kernel, which handles rtnetlink requests
// while sending them, has queued an error for each one that failed by the
// time the call returns. With hundreds of masters this is most of the
// agent's steady work, so it gets its own raw socket rather than one libnl
// round trip per address.
// Runs in: netagent (CAP_NET_ADMIN). Input: addresses from the agent's config.
class LeaseRenewer {
 public:
  struct Lease {
    int ifindex;
    std::string address;  // 4 or 16 bytes, network order
    int prefix_len;
  };

  static absl::StatusOr<LeaseRenewer> Open();

  // One message per lease; returns a line for each the kernel refused.
  std::vector<std::string> Renew(const std::vector<Lease>& leases,
                                 uint32_t lifetime_s);

 private:
  explicit LeaseRenewer(UniqueFd fd) : fd_(std::move(fd)) {}
  void Append(const Lease& lease, uint32_t lifetime_s, uint32_t seq);
  std::vector<std::string> CollectErrors(const std::vector<Lease>& leases,
                                         uint32_t first_seq);

  UniqueFd fd_;
  std::vector<char> batch_;
  uint32_t next_seq_ = 1;
};

}  // namespace vigil::agent
