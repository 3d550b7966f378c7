#include "netagent/address_batch.h"

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/ip_address.h"
#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

using Op = AddressBatch::Op;

AddressBatch::Address Vip(const char* text, int prefix) {
  return {7, std::string(IpAddress::Parse(text)->bytes()), prefix};
}

struct Parsed {
  nlmsghdr header;
  ifaddrmsg message;
  std::string local;
  bool has_cacheinfo = false;
  ifa_cacheinfo cache{};
};

Parsed Parse(const std::string& request) {
  Parsed p{};
  std::memcpy(&p.header, request.data(), sizeof p.header);
  std::memcpy(&p.message, request.data() + NLMSG_HDRLEN, sizeof p.message);
  size_t at = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof p.message);
  while (at + NLA_HDRLEN <= request.size()) {
    nlattr a;
    std::memcpy(&a, request.data() + at, sizeof a);
    std::string data = request.substr(at + NLA_HDRLEN, a.nla_len - NLA_HDRLEN);
    if (a.nla_type == IFA_LOCAL) p.local = data;
    if (a.nla_type == IFA_CACHEINFO) {
      p.has_cacheinfo = true;
      std::memcpy(&p.cache, data.data(), sizeof p.cache);
    }
    at += NLA_ALIGN(a.nla_len);
  }
  return p;
}

TEST(AddressBatch, AddIsExclusiveSoAPresentAddressIsReported) {
  std::string request = AddressRequest(Op::kAdd, Vip("192.0.2.10", 24), 0, 42);
  Parsed p = Parse(request);
  EXPECT_EQ(p.header.nlmsg_len, request.size());
  EXPECT_EQ(p.header.nlmsg_type, RTM_NEWADDR);
  EXPECT_EQ(p.header.nlmsg_seq, 42u);
  EXPECT_TRUE(p.header.nlmsg_flags & NLM_F_EXCL);
  EXPECT_TRUE(p.header.nlmsg_flags & NLM_F_CREATE);
  EXPECT_FALSE(p.header.nlmsg_flags & NLM_F_REPLACE);
  // No acknowledgement: the kernel reports failures only.
  EXPECT_FALSE(p.header.nlmsg_flags & NLM_F_ACK);
  EXPECT_EQ(p.message.ifa_family, AF_INET);
  EXPECT_EQ(p.message.ifa_prefixlen, 24);
  EXPECT_EQ(p.message.ifa_index, 7u);
  EXPECT_EQ(p.local, IpAddress::Parse("192.0.2.10")->bytes());
  EXPECT_FALSE(p.has_cacheinfo);
}

TEST(AddressBatch, Ipv6VipsSkipDadAndCarryTheirLease) {
  Parsed p = Parse(AddressRequest(Op::kRenew, Vip("2001:db8::5", 64), 60, 1));
  EXPECT_EQ(p.message.ifa_family, AF_INET6);
  EXPECT_TRUE(p.message.ifa_flags & IFA_F_NODAD);
  EXPECT_TRUE(p.header.nlmsg_flags & NLM_F_REPLACE);
  ASSERT_TRUE(p.has_cacheinfo);
  EXPECT_EQ(p.cache.ifa_valid, 60u);
  EXPECT_EQ(p.cache.ifa_prefered, 60u);
}

TEST(AddressBatch, RemoveIsADeleteWithoutLifetime) {
  Parsed p = Parse(AddressRequest(Op::kRemove, Vip("2001:db8::5", 128), 60, 1));
  EXPECT_EQ(p.header.nlmsg_type, RTM_DELADDR);
  EXPECT_FALSE(p.has_cacheinfo);
}

TEST(AddressBatch, OnlyTheExpectedErrorsMeanAlreadySo) {
  EXPECT_TRUE(AlreadySo(Op::kAdd, EEXIST));
  EXPECT_FALSE(AlreadySo(Op::kAdd, EADDRNOTAVAIL));
  EXPECT_TRUE(AlreadySo(Op::kRemove, EADDRNOTAVAIL));
  EXPECT_TRUE(AlreadySo(Op::kRemove, ENODEV));
  EXPECT_FALSE(AlreadySo(Op::kRemove, EPERM));
  EXPECT_FALSE(AlreadySo(Op::kRenew, EEXIST));
}

}  // namespace
}  // namespace vigil::agent
