#include "netagent/announcer.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <fstream>

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

absl::Status Announcer::Announce(const InterfaceInfo& interface,
                                 const IpAddress& address) {
  if (address.is_v6()) {
    std::array<uint8_t, kNaSize> na =
        BuildUnsolicitedNa(interface.mac, address, Forwarding(interface.name));
    return SendFrame(interface, na.data(), na.size(), ETH_P_IPV6, kAllNodesMac);
  }
  std::array<uint8_t, kArpSize> arp =
      BuildGratuitousArp(interface.mac, address);
  return SendFrame(interface, arp.data(), arp.size(), ETH_P_ARP, kBroadcast);
}

// SOCK_DGRAM packet socket: the kernel adds the Ethernet header from the
// destination MAC and protocol given here, and the interface's own MAC.
absl::Status Announcer::SendFrame(const InterfaceInfo& interface,
                                  const uint8_t* frame, size_t size,
                                  uint16_t ethertype,
                                  const uint8_t* destination_mac) {
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ethertype);
  to.sll_ifindex = interface.ifindex;
  to.sll_halen = 6;
  std::memcpy(to.sll_addr, destination_mac, 6);
  if (sendto(fd_.get(), frame, size, 0, reinterpret_cast<sockaddr*>(&to),
             sizeof to) < 0) {
    return ErrnoStatus(
        errno, absl::StrCat(
                   ethertype == ETH_P_ARP ? "gratuitous ARP" : "unsolicited NA",
                   " on ", interface.name));
  }
  return absl::OkStatus();
}

}  // namespace vigil::agent
