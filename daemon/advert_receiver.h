#pragma once

#include <array>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "common/clock.h"
#include "common/ip_address.h"
#include "daemon/instance.h"
#include "daemon/vrrp_packet.h"

namespace vigil::brain {

// The receive path for one datagram: the IP-level verdict, decoding (R2-R5,
// R10), the VRID lookup (R6), the instance's checks (R1, R7-R9, mode and
// unicast source) and the address-list comparison (R11, counted, not a drop).
// Every drop reason has a counter; warnings are rate-limited per reason
// (R12) so a flood cannot flood the log.
// Runs in: brain. Input: raw datagrams from the network (hostile).
class AdvertReceiver {
 public:
  using Warn = std::function<void(const std::string&)>;
  // Finds the instance for a VRID on the socket the datagram came from.
  using Lookup = std::function<Instance*(uint8_t vrid)>;
  struct Delivery {
    Instance* instance;
    vrrp::Advert advert;
  };

  static constexpr Duration kLogInterval = std::chrono::seconds(10);

  AdvertReceiver(Clock* clock, Warn warn);

  std::optional<Delivery> Receive(vrrp::DropReason verdict,
                                  const vrrp::Envelope& envelope,
                                  std::span<const uint8_t> payload,
                                  const std::string& interface,
                                  const Lookup& lookup);

  uint64_t drops(vrrp::DropReason reason) const {
    return drops_[static_cast<size_t>(reason)];
  }
  uint64_t checksum_forms(vrrp::ChecksumForm form) const {
    return checksum_forms_[static_cast<size_t>(form)];
  }
  uint64_t address_mismatches() const { return address_mismatches_; }
  uint64_t interval_mismatches() const { return interval_mismatches_; }

 private:
  void Drop(vrrp::DropReason reason, const IpAddress& source,
            const std::string& interface);
  void CheckAddressList(const Instance& instance, const vrrp::Advert& advert,
                        const IpAddress& source);
  void CheckInterval(const Instance& instance, const vrrp::Advert& advert,
                     const IpAddress& source);
  bool ShouldLog(TimePoint& last, uint64_t count);

  Clock* clock_;
  Warn warn_;
  static constexpr size_t kReasons =
      static_cast<size_t>(vrrp::DropReason::kCount);
  std::array<uint64_t, kReasons> drops_{};
  std::array<TimePoint, kReasons> last_drop_log_{};
  std::array<uint64_t, static_cast<size_t>(vrrp::ChecksumForm::kCount)>
      checksum_forms_{};
  uint64_t address_mismatches_ = 0;
  TimePoint last_mismatch_log_{};
  uint64_t interval_mismatches_ = 0;  // R9, v3
  TimePoint last_interval_log_{};
};

}  // namespace vigil::brain
