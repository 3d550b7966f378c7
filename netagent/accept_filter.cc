#include "netagent/accept_filter.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/netlink_messages.h"
#include "common/status_macros.h"
#include "netagent/nfnetlink_batch.h"

namespace vigil::agent {
namespace {

constexpr char kTable[] = "vigil";
constexpr char kChain[] = "no_accept";
constexpr uint8_t kIcmpv6NeighbourSolicitation = 135;
constexpr uint8_t kIcmpv6NeighbourAdvertisement = 136;

// Writes one rule's expressions: a tiny assembler over nf_tables' registers.
class RuleWriter {
 public:
  explicit RuleWriter(NfnetlinkBatch& batch) : batch_(batch) {}

  void Meta(uint32_t key) {
    size_t data = OpenExpression("meta");
    batch_.PutU32(NFTA_META_KEY, key);
    batch_.PutU32(NFTA_META_DREG, NFT_REG_1);
    CloseExpression(data);
  }
  void Payload(uint32_t base, uint32_t offset, uint32_t length) {
    size_t data = OpenExpression("payload");
    batch_.PutU32(NFTA_PAYLOAD_DREG, NFT_REG_1);
    batch_.PutU32(NFTA_PAYLOAD_BASE, base);
    batch_.PutU32(NFTA_PAYLOAD_OFFSET, offset);
    batch_.PutU32(NFTA_PAYLOAD_LEN, length);
    CloseExpression(data);
  }
  void Compare(uint32_t op, absl::string_view value) {
    size_t data = OpenExpression("cmp");
    batch_.PutU32(NFTA_CMP_SREG, NFT_REG_1);
    batch_.PutU32(NFTA_CMP_OP, op);
    size_t nest = batch_.OpenNest(NFTA_CMP_DATA);
    batch_.PutBytes(NFTA_DATA_VALUE, value);
    batch_.CloseNest(nest);
    CloseExpression(data);
  }
  void CompareByte(uint32_t op, uint8_t value) {
    Compare(op, absl::string_view(reinterpret_cast<const char*>(&value), 1));
  }
  void Verdict(uint32_t code) {
    size_t data = OpenExpression("immediate");
    batch_.PutU32(NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
    size_t value = batch_.OpenNest(NFTA_IMMEDIATE_DATA);
    size_t verdict = batch_.OpenNest(NFTA_DATA_VERDICT);
    batch_.PutU32(NFTA_VERDICT_CODE, code);
    batch_.CloseNest(verdict);
    batch_.CloseNest(value);
    CloseExpression(data);
  }

 private:
  size_t OpenExpression(const char* name) {
    element_ = batch_.OpenNest(NFTA_LIST_ELEM);
    batch_.PutString(NFTA_EXPR_NAME, name);
    return batch_.OpenNest(NFTA_EXPR_DATA);
  }
  void CloseExpression(size_t data) {
    batch_.CloseNest(data);
    batch_.CloseNest(element_);
  }

  NfnetlinkBatch& batch_;
  size_t element_ = 0;
};

void WriteRule(NfnetlinkBatch& batch, const FilterRule& rule) {
  batch.Begin(NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, NFPROTO_INET);
  batch.PutString(NFTA_RULE_TABLE, kTable);
  batch.PutString(NFTA_RULE_CHAIN, kChain);
  size_t expressions = batch.OpenNest(NFTA_RULE_EXPRESSIONS);
  RuleWriter w(batch);
  bool v6 = rule.vip.is_v6();
  // An inet chain sees both families: check which before reading addresses.
  w.Meta(NFT_META_NFPROTO);
  w.CompareByte(NFT_CMP_EQ, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
  // Destination address: offset 16 in the IPv4 header, 24 in the IPv6 one.
  w.Payload(NFT_PAYLOAD_NETWORK_HEADER, v6 ? 24 : 16,
            static_cast<uint32_t>(rule.vip.size()));
  w.Compare(NFT_CMP_EQ, rule.vip.bytes());
  if (rule.action == FilterRule::Action::kAcceptNeighbourDiscovery) {
    w.Meta(NFT_META_L4PROTO);
    w.CompareByte(NFT_CMP_EQ, IPPROTO_ICMPV6);
    w.Payload(NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);  // ICMPv6 type
    w.CompareByte(NFT_CMP_GTE, kIcmpv6NeighbourSolicitation);
    w.CompareByte(NFT_CMP_LTE, kIcmpv6NeighbourAdvertisement);
    w.Verdict(NF_ACCEPT);
  } else {
    w.Verdict(NF_DROP);
  }
  batch.CloseNest(expressions);
}

void WriteTableName(NfnetlinkBatch& batch, uint16_t type, uint16_t flags) {
  batch.Begin(type, flags, NFPROTO_INET);
  batch.PutString(NFTA_TABLE_NAME, kTable);
}

void WriteChain(NfnetlinkBatch& batch) {
  batch.Begin(NFT_MSG_NEWCHAIN, NLM_F_CREATE, NFPROTO_INET);
  batch.PutString(NFTA_CHAIN_TABLE, kTable);
  batch.PutString(NFTA_CHAIN_NAME, kChain);
  size_t hook = batch.OpenNest(NFTA_CHAIN_HOOK);
  batch.PutU32(NFTA_HOOK_HOOKNUM, NF_INET_LOCAL_IN);
  batch.PutU32(NFTA_HOOK_PRIORITY, 0);  // "filter"
  batch.CloseNest(hook);
  batch.PutU32(NFTA_CHAIN_POLICY, NF_ACCEPT);
  batch.PutString(NFTA_CHAIN_TYPE, "filter");
  // Flush: a rule delete naming only the chain removes all its rules.
  batch.Begin(NFT_MSG_DELRULE, 0, NFPROTO_INET);
  batch.PutString(NFTA_RULE_TABLE, kTable);
  batch.PutString(NFTA_RULE_CHAIN, kChain);
}

}  // namespace

std::vector<FilterRule> PlanNoAcceptRules(const std::set<IpAddress>& vips) {
  std::vector<FilterRule> rules;
  for (const IpAddress& vip : vips) {
    // Neighbour discovery first: a dropped NS would make the VIP unreachable
    // at layer 2, which Accept_Mode never asks for.
    if (vip.is_v6())
      rules.push_back({vip, FilterRule::Action::kAcceptNeighbourDiscovery});
    rules.push_back({vip, FilterRule::Action::kDrop});
  }
  return rules;
}

absl::StatusOr<AcceptFilter> AcceptFilter::Open() {
  UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER));
  if (!fd.valid()) return ErrnoStatus(errno, "netfilter netlink socket");
  // The kernel answers at once; a bound wait keeps a stuck kernel from
  // stalling the agent's event loop.
  timeval timeout{.tv_sec = 2, .tv_usec = 0};
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  return AcceptFilter(std::move(fd));
}

NfTransaction BuildNoAcceptTransaction(const std::set<IpAddress>& vips,
                                       uint32_t first_seq) {
  NfnetlinkBatch batch(first_seq);
  // Creating before deleting makes the delete succeed whether or not an
  // earlier run left the table behind.
  WriteTableName(batch, NFT_MSG_NEWTABLE, NLM_F_CREATE);
  if (vips.empty()) {
    WriteTableName(batch, NFT_MSG_DELTABLE, 0);
  } else {
    WriteChain(batch);
    for (const FilterRule& rule : PlanNoAcceptRules(vips))
      WriteRule(batch, rule);
  }
  NfTransaction transaction;
  transaction.acked_seqs = batch.acked_seqs();
  transaction.bytes = batch.Finish();
  return transaction;
}

absl::Status AcceptFilter::Apply(const std::set<IpAddress>& vips) {
  NfTransaction transaction = BuildNoAcceptTransaction(vips, next_seq_);
  next_seq_ += static_cast<uint32_t>(transaction.acked_seqs.size() + 2);
  return Exchange(transaction);
}

absl::Status AcceptFilter::Exchange(const NfTransaction& transaction) {
  const std::string& batch = transaction.bytes;
  const std::vector<uint32_t>& acked_seqs = transaction.acked_seqs;
  if (send(socket_.get(), batch.data(), batch.size(), 0) < 0)
    return ErrnoStatus(errno, "nf_tables transaction");
  size_t pending = acked_seqs.size();
  std::vector<char> buffer(16384);
  while (pending > 0) {
    ssize_t n = recv(socket_.get(), buffer.data(), buffer.size(), 0);
    if (n < 0) return ErrnoStatus(errno, "nf_tables reply");
    absl::Status failure;
    ForEachNetlinkMessage(
        buffer.data(), static_cast<size_t>(n), [&](const nlmsghdr* h) {
          if (!failure.ok() || h->nlmsg_type != NLMSG_ERROR) return;
          if (std::find(acked_seqs.begin(), acked_seqs.end(), h->nlmsg_seq) ==
              acked_seqs.end()) {
            return;  // a late answer to an earlier transaction
          }
          const auto* error = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
          if (error->error != 0) {
            failure = ErrnoStatus(
                -error->error,
                absl::StrCat("nf_tables table inet ", kTable, " (message ",
                             h->nlmsg_seq - acked_seqs.front() + 1, " of ",
                             acked_seqs.size(), ")"));
            return;
          }
          --pending;
        });
    RETURN_IF_ERROR(failure);
  }
  return absl::OkStatus();
}

}  // namespace vigil::agent
