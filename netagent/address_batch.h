#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/unique_fd.h"

namespace vigil::agent {

// Adds, removes and renews VIPs with rtnetlink, many per system call: the
// requests go out back to back in one datagram without acknowledgements,
// and the kernel, which handles rtnetlink requests while they are being
// sent, has queued an error for each one that failed by the time the call
// returns. One libnl round trip per address cost 40 µs; a batch of 128
// costs the kernel's own work and one system call. Each operation is
// idempotent: adding a present address or removing an absent one is "not
// changed", not an error, so a desired-state request can be applied again.
// Runs in: netagent (CAP_NET_ADMIN). Input: addresses from the agent's config.
class AddressBatch {
 public:
  struct Address {
    int ifindex;
    std::string bytes;  // 4 or 16 bytes, network order
    int prefix_len;
  };
  enum class Op { kAdd, kRemove, kRenew };
  struct Outcome {
    bool changed = false;  // the kernel's state is different now
    std::string error;     // empty: done (or already so)
  };

  static absl::StatusOr<AddressBatch> Open();

  // One outcome per address, in order. A non-zero lifetime makes the kernel
  // drop the address unless it is renewed in time; an add that finds the
  // address present renews it, so the lease is ours either way.
  std::vector<Outcome> Apply(Op op, std::span<const Address> addresses,
                             uint32_t lifetime_s = 0);

 private:
  explicit AddressBatch(UniqueFd fd) : fd_(std::move(fd)) {}
  void Send(Op op, std::span<const Address> addresses, size_t begin, size_t end,
            uint32_t lifetime_s, std::vector<Outcome>& outcomes);
  void CollectErrors(Op op, std::span<const Address> addresses, size_t begin,
                     size_t end, uint32_t first_seq,
                     std::vector<Outcome>& outcomes);

  UniqueFd fd_;
  std::string batch_;
  uint32_t next_seq_ = 1;
};

// One request as the kernel receives it (exposed for tests).
std::string AddressRequest(AddressBatch::Op op,
                           const AddressBatch::Address& address,
                           uint32_t lifetime_s, uint32_t seq);
// Whether the kernel's error means the address already was as asked.
bool AlreadySo(AddressBatch::Op op, int error);

}  // namespace vigil::agent
