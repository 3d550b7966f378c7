#include "netagent/garp.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <sys/socket.h>

#include <array>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vigil::agent {
namespace {

constexpr size_t kFrameSize = 42;  // Ethernet 14 + ARP 28

std::array<uint8_t, kFrameSize> BuildFrame(const std::array<uint8_t, 6>& mac, uint32_t address) {
  std::array<uint8_t, kFrameSize> f{};
  std::memset(f.data(), 0xff, 6);  // broadcast
  std::memcpy(&f[6], mac.data(), 6);
  f[12] = ETH_P_ARP >> 8;
  f[13] = ETH_P_ARP & 0xff;
  uint8_t* arp = &f[14];
  arp[0] = 0; arp[1] = ARPHRD_ETHER;
  arp[2] = ETH_P_IP >> 8; arp[3] = ETH_P_IP & 0xff;
  arp[4] = 6; arp[5] = 4;
  arp[6] = 0; arp[7] = ARPOP_REQUEST;
  std::memcpy(&arp[8], mac.data(), 6);    // sender MAC
  std::memcpy(&arp[14], &address, 4);     // sender IP = VIP
  std::memset(&arp[18], 0xff, 6);         // target MAC, as keepalived sends it
  std::memcpy(&arp[24], &address, 4);     // target IP = VIP
  return f;
}

}  // namespace

absl::StatusOr<GarpSender> GarpSender::Open() {
  // Protocol 0: send only, so the socket never queues received frames.
  UniqueFd fd(socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) return ErrnoStatus(errno, "packet socket for GARP (needs CAP_NET_RAW)");
  return GarpSender(std::move(fd));
}

absl::Status GarpSender::Send(const InterfaceInfo& interface, uint32_t address) {
  std::array<uint8_t, kFrameSize> frame = BuildFrame(interface.mac, address);
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ETH_P_ARP);
  to.sll_ifindex = interface.ifindex;
  to.sll_halen = 6;
  std::memset(to.sll_addr, 0xff, 6);
  if (sendto(fd_.get(), frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&to),
             sizeof to) < 0) {
    return ErrnoStatus(errno, absl::StrCat("gratuitous ARP on ", interface.name));
  }
  return absl::OkStatus();
}

}  // namespace vigil::agent
