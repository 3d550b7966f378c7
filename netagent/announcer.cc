#include "netagent/announcer.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/internet_checksum.h"
#include "common/status_macros.h"

namespace vigil::agent {
namespace {

constexpr uint8_t kBroadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
constexpr uint8_t kAllNodesMac[6] = {0x33, 0x33, 0, 0, 0, 1};  // ff02::1
}  // namespace

std::array<uint8_t, kArpSize> BuildGratuitousArp(
    const std::array<uint8_t, 6>& mac, const IpAddress& address) {
  std::array<uint8_t, kArpSize> arp{};
  arp[1] = ARPHRD_ETHER;
  arp[2] = ETH_P_IP >> 8;
  arp[3] = ETH_P_IP & 0xff;
  arp[4] = 6;
  arp[5] = 4;
  arp[7] = ARPOP_REQUEST;
  std::memcpy(&arp[8], mac.data(), 6);       // sender MAC
  std::memcpy(&arp[14], address.data(), 4);  // sender IP = VIP
  std::memset(&arp[18], 0xff, 6);  // target MAC, as keepalived sends it
  std::memcpy(&arp[24], address.data(), 4);  // target IP = VIP
  return arp;
}

namespace {

bool Forwarding(const std::string& interface) {
  std::ifstream in("/proc/sys/net/ipv6/conf/" + interface + "/forwarding");
  int value = 0;
  in >> value;
  return value != 0;
}

}  // namespace

// RFC 4861 section 7.2.6, from the VIP itself, as keepalived sends it.
std::array<uint8_t, kNaSize> BuildUnsolicitedNa(
    const std::array<uint8_t, 6>& mac, const IpAddress& address, bool router) {
  std::array<uint8_t, kNaSize> p{};
  IpAddress all_nodes = *IpAddress::Parse("ff02::1");
  p[0] = 0x60;
  p[5] = 32;   // payload length
  p[6] = 58;   // ICMPv6
  p[7] = 255;  // hop limit
  std::memcpy(&p[8], address.data(), 16);
  std::memcpy(&p[24], all_nodes.data(), 16);
  uint8_t* na = &p[40];
  na[0] = 136;  // Neighbor Advertisement
  na[4] = static_cast<uint8_t>((router ? 0x80 : 0) | 0x20);  // R, not S, O
  std::memcpy(&na[8], address.data(), 16);
  na[24] = 2;  // target link-layer address option
  na[25] = 1;  // length in units of 8 bytes
  std::memcpy(&na[26], mac.data(), 6);
  // Pseudo-header: both addresses, the length (32) and next header (58).
  uint32_t pseudo = SumWords(std::span<const uint8_t>(&p[8], 32), 32 + 58);
  uint16_t sum = InternetChecksum(std::span<const uint8_t>(na, 32), pseudo);
  na[2] = static_cast<uint8_t>(sum >> 8);
  na[3] = static_cast<uint8_t>(sum);
  return p;
}

absl::StatusOr<Announcer> Announcer::Open() {
  // Protocol 0: send only, so the socket never queues received frames.
  UniqueFd fd(socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid())
    return ErrnoStatus(errno, "packet socket for GARP/NA (needs CAP_NET_RAW)");
  return Announcer(std::move(fd));
}

namespace {

// One frame as the packet socket takes it: payload, link-layer destination.
struct Frame {
  std::array<uint8_t, kNaSize> payload;
  size_t size;
  sockaddr_ll to;
};

Frame BuildFrame(const Announcer::Announcement& a, bool router) {
  Frame frame{};
  frame.to.sll_family = AF_PACKET;
  frame.to.sll_ifindex = a.interface->ifindex;
  frame.to.sll_halen = 6;
  if (a.address.is_v6()) {
    std::array<uint8_t, kNaSize> na =
        BuildUnsolicitedNa(a.interface->mac, a.address, router);
    std::memcpy(frame.payload.data(), na.data(), na.size());
    frame.size = na.size();
    frame.to.sll_protocol = htons(ETH_P_IPV6);
    std::memcpy(frame.to.sll_addr, kAllNodesMac, 6);
  } else {
    std::array<uint8_t, kArpSize> arp =
        BuildGratuitousArp(a.interface->mac, a.address);
    std::memcpy(frame.payload.data(), arp.data(), arp.size());
    frame.size = arp.size();
    frame.to.sll_protocol = htons(ETH_P_ARP);
    std::memcpy(frame.to.sll_addr, kBroadcast, 6);
  }
  return frame;
}

std::string Failure(const Announcer::Announcement& a, int error) {
  return absl::StrCat(a.address.is_v6() ? "unsolicited NA" : "gratuitous ARP",
                      " on ", a.interface->name, ": ", strerror(error));
}

// sendmmsg's own limit is 1024 (UIO_MAXIOV); 256 frames keep the stack
// arrays small.
constexpr size_t kFramesPerCall = 256;

}  // namespace

std::vector<std::string> Announcer::Announce(
    std::span<const Announcement> batch) {
  std::vector<std::string> errors;
  for (size_t at = 0; at < batch.size(); at += kFramesPerCall) {
    for (std::string& e : SendChunk(
             batch.subspan(at, std::min(kFramesPerCall, batch.size() - at)))) {
      if (std::find(errors.begin(), errors.end(), e) == errors.end())
        errors.push_back(std::move(e));
    }
  }
  return errors;
}

// SOCK_DGRAM packet socket: the kernel adds the Ethernet header from the
// destination MAC and protocol given here, and the interface's own MAC.
std::vector<std::string> Announcer::SendChunk(
    std::span<const Announcement> chunk) {
  std::vector<Frame> frames;
  frames.reserve(chunk.size());
  std::map<int, bool> router;  // the R flag: read once per interface
  for (const Announcement& a : chunk) {
    bool is_router = false;
    if (a.address.is_v6()) {
      auto [it, fresh] = router.try_emplace(a.interface->ifindex, false);
      if (fresh) it->second = Forwarding(a.interface->name);
      is_router = it->second;
    }
    frames.push_back(BuildFrame(a, is_router));
  }
  std::vector<iovec> iov(frames.size());
  std::vector<mmsghdr> messages(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    iov[i] = {frames[i].payload.data(), frames[i].size};
    messages[i].msg_hdr.msg_name = &frames[i].to;
    messages[i].msg_hdr.msg_namelen = sizeof frames[i].to;
    messages[i].msg_hdr.msg_iov = &iov[i];
    messages[i].msg_hdr.msg_iovlen = 1;
  }
  std::vector<std::string> errors;
  // sendmmsg stops at the first frame that fails: note it, go on after it.
  for (size_t sent = 0; sent < frames.size();) {
    int n = sendmmsg(fd_.get(), messages.data() + sent,
                     static_cast<unsigned>(frames.size() - sent), 0);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    errors.push_back(Failure(chunk[sent], errno));
    ++sent;
  }
  return errors;
}

}  // namespace vigil::agent
