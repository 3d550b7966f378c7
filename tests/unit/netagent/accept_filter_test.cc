#include "netagent/accept_filter.h"

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

using ::testing::ElementsAre;
using Action = FilterRule::Action;

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

TEST(AcceptFilter, DP3_RulesDropVipTrafficButLetNeighbourDiscoveryThrough) {
  std::vector<FilterRule> rules =
      PlanNoAcceptRules({Ip("192.0.2.100"), Ip("2001:db8::100")});
  EXPECT_THAT(rules,
              ElementsAre(FilterRule{Ip("192.0.2.100"), Action::kDrop},
                          FilterRule{Ip("2001:db8::100"),
                                     Action::kAcceptNeighbourDiscovery},
                          FilterRule{Ip("2001:db8::100"), Action::kDrop}));
  EXPECT_TRUE(PlanNoAcceptRules({}).empty());
}

// A decoded message of the transaction: its type and, for rules, the names
// of the expressions in order.
struct Decoded {
  uint16_t type;
  uint32_t seq;
  std::vector<std::string> expressions;
};

std::vector<std::string> ExpressionNames(const char* data, size_t length) {
  std::vector<std::string> names;
  for (size_t at = 0; at + NLA_HDRLEN <= length;) {
    const auto* attr = reinterpret_cast<const nlattr*>(data + at);
    EXPECT_GE(attr->nla_len, NLA_HDRLEN);
    EXPECT_LE(at + attr->nla_len, length) << "nest overruns its parent";
    if ((attr->nla_type & NLA_TYPE_MASK) == NFTA_RULE_EXPRESSIONS) {
      // Each element: a nest whose first attribute is the name.
      const char* list = data + at + NLA_HDRLEN;
      size_t list_length = attr->nla_len - NLA_HDRLEN;
      for (size_t e = 0; e < list_length;) {
        const auto* element = reinterpret_cast<const nlattr*>(list + e);
        const auto* name =
            reinterpret_cast<const nlattr*>(list + e + NLA_HDRLEN);
        names.emplace_back(reinterpret_cast<const char*>(name) + NLA_HDRLEN);
        e += NLA_ALIGN(element->nla_len);
      }
    }
    at += NLA_ALIGN(attr->nla_len);
  }
  return names;
}

std::vector<Decoded> Decode(const std::string& bytes) {
  std::vector<Decoded> out;
  int remaining = static_cast<int>(bytes.size());
  auto* h = reinterpret_cast<const nlmsghdr*>(bytes.data());
  for (; NLMSG_OK(h, remaining); h = NLMSG_NEXT(h, remaining)) {
    size_t header = NLMSG_LENGTH(sizeof(nfgenmsg));
    const char* attrs = reinterpret_cast<const char*>(h) + NLMSG_ALIGN(header);
    out.push_back({h->nlmsg_type, h->nlmsg_seq,
                   ExpressionNames(attrs, h->nlmsg_len - NLMSG_ALIGN(header))});
  }
  EXPECT_EQ(remaining, 0) << "trailing bytes after the last message";
  return out;
}

constexpr uint16_t Nft(int type) {
  return static_cast<uint16_t>((NFNL_SUBSYS_NFTABLES << 8) | type);
}

TEST(AcceptFilter, TransactionIsOneFramedBatch) {
  NfTransaction t = BuildNoAcceptTransaction({Ip("192.0.2.100")}, 7);
  std::vector<Decoded> messages = Decode(t.bytes);
  ASSERT_EQ(messages.size(), 6u);
  EXPECT_EQ(messages.front().type, NFNL_MSG_BATCH_BEGIN);
  EXPECT_EQ(messages[1].type, Nft(NFT_MSG_NEWTABLE));
  EXPECT_EQ(messages[2].type, Nft(NFT_MSG_NEWCHAIN));
  EXPECT_EQ(messages[3].type, Nft(NFT_MSG_DELRULE)) << "flush before refill";
  EXPECT_EQ(messages[4].type, Nft(NFT_MSG_NEWRULE));
  EXPECT_THAT(messages[4].expressions,
              ElementsAre("meta", "cmp", "payload", "cmp", "immediate"));
  EXPECT_EQ(messages[5].type, NFNL_MSG_BATCH_END);
  EXPECT_THAT(t.acked_seqs, ElementsAre(8, 9, 10, 11));
}

TEST(AcceptFilter, NeighbourDiscoveryRuleChecksTheIcmpv6Type) {
  NfTransaction t = BuildNoAcceptTransaction({Ip("2001:db8::100")}, 1);
  std::vector<Decoded> messages = Decode(t.bytes);
  ASSERT_EQ(messages.size(), 7u);
  EXPECT_THAT(messages[4].expressions,
              ElementsAre("meta", "cmp", "payload", "cmp", "meta", "cmp",
                          "payload", "cmp", "cmp", "immediate"));
  EXPECT_THAT(messages[5].expressions,
              ElementsAre("meta", "cmp", "payload", "cmp", "immediate"));
}

TEST(AcceptFilter, NoVipsDeletesTheTable) {
  std::vector<Decoded> messages = Decode(BuildNoAcceptTransaction({}, 1).bytes);
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[1].type, Nft(NFT_MSG_NEWTABLE));
  EXPECT_EQ(messages[2].type, Nft(NFT_MSG_DELTABLE));
}

}  // namespace
}  // namespace vigil::agent
