#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace vigil::agent {

// Builds one nf_tables transaction: netlink messages between a batch-begin
// and a batch-end, sent in a single write so the kernel applies all of them
// or none. Attribute integers are big-endian, as nf_tables wants them.
// Runs in: netagent. Input: only the agent's own config.
class NfnetlinkBatch {
 public:
  explicit NfnetlinkBatch(uint32_t first_seq);

  // Starts a message (type is an NFT_MSG_* value) that asks for an ack.
  void Begin(uint16_t nft_type, uint16_t flags, uint8_t family);
  void PutU32(uint16_t type, uint32_t value);
  void PutBytes(uint16_t type, absl::string_view bytes);
  void PutString(uint16_t type, absl::string_view text);  // NUL-terminated
  // Returns the nest's offset, to pass to CloseNest.
  size_t OpenNest(uint16_t type);
  void CloseNest(size_t offset);

  // The whole transaction, framed. Each message's seq is in `acked_seqs`.
  std::string Finish();
  const std::vector<uint32_t>& acked_seqs() const { return acked_seqs_; }

 private:
  void Control(uint16_t type);
  void CloseMessage();
  void Pad();

  std::string out_;
  uint32_t seq_;
  size_t message_start_ = 0;
  bool open_ = false;
  std::vector<uint32_t> acked_seqs_;
};

}  // namespace vigil::agent
