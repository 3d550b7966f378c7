#include "netagent/nfnetlink_batch.h"

#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <cstring>

namespace vigil::agent {
namespace {

template <typename T>
void Append(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(value));
}

template <typename T>
void WriteAt(std::string& out, size_t offset, const T& value) {
  std::memcpy(out.data() + offset, &value, sizeof(value));
}

}  // namespace

NfnetlinkBatch::NfnetlinkBatch(uint32_t first_seq) : seq_(first_seq) {
  Control(NFNL_MSG_BATCH_BEGIN);
}

void NfnetlinkBatch::Control(uint16_t type) {
  CloseMessage();
  nlmsghdr header{};
  header.nlmsg_len = NLMSG_LENGTH(sizeof(nfgenmsg));
  header.nlmsg_type = type;
  header.nlmsg_flags = NLM_F_REQUEST;
  header.nlmsg_seq = seq_++;
  nfgenmsg body{};
  body.nfgen_family = AF_UNSPEC;
  body.version = NFNETLINK_V0;
  body.res_id = htons(NFNL_SUBSYS_NFTABLES);
  Append(out_, header);
  Append(out_, body);
}

void NfnetlinkBatch::Begin(uint16_t nft_type, uint16_t flags, uint8_t family) {
  CloseMessage();
  message_start_ = out_.size();
  open_ = true;
  nlmsghdr header{};
  header.nlmsg_type =
      static_cast<uint16_t>((NFNL_SUBSYS_NFTABLES << 8) | nft_type);
  header.nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | NLM_F_ACK | flags);
  header.nlmsg_seq = seq_;
  acked_seqs_.push_back(seq_++);
  nfgenmsg body{};
  body.nfgen_family = family;
  body.version = NFNETLINK_V0;
  Append(out_, header);
  Append(out_, body);
}

void NfnetlinkBatch::CloseMessage() {
  if (!open_) return;
  open_ = false;
  WriteAt(out_, message_start_,
          static_cast<uint32_t>(out_.size() - message_start_));
}

void NfnetlinkBatch::Pad() { out_.resize(NLA_ALIGN(out_.size()), '\0'); }

void NfnetlinkBatch::PutBytes(uint16_t type, absl::string_view bytes) {
  nlattr attr{};
  attr.nla_len = static_cast<uint16_t>(NLA_HDRLEN + bytes.size());
  attr.nla_type = type;
  Append(out_, attr);
  out_.append(bytes.data(), bytes.size());
  Pad();
}

void NfnetlinkBatch::PutU32(uint16_t type, uint32_t value) {
  uint32_t big_endian = htonl(value);
  PutBytes(type, absl::string_view(reinterpret_cast<const char*>(&big_endian),
                                   sizeof(big_endian)));
}

void NfnetlinkBatch::PutString(uint16_t type, absl::string_view text) {
  std::string terminated(text);
  terminated.push_back('\0');
  PutBytes(type, terminated);
}

size_t NfnetlinkBatch::OpenNest(uint16_t type) {
  size_t offset = out_.size();
  nlattr attr{};
  attr.nla_type = static_cast<uint16_t>(type | NLA_F_NESTED);
  Append(out_, attr);
  return offset;
}

void NfnetlinkBatch::CloseNest(size_t offset) {
  WriteAt(out_, offset + offsetof(nlattr, nla_len),
          static_cast<uint16_t>(out_.size() - offset));
}

std::string NfnetlinkBatch::Finish() {
  Control(NFNL_MSG_BATCH_END);
  return std::move(out_);
}

}  // namespace vigil::agent
