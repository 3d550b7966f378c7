#include "daemon/advert_receiver.h"

#include "absl/strings/str_format.h"
#include "daemon/receive_checks.h"

namespace vigil::brain {

AdvertReceiver::AdvertReceiver(Clock* clock, Warn warn)
    : clock_(clock), warn_(std::move(warn)) {}

std::optional<AdvertReceiver::Delivery> AdvertReceiver::Receive(
    vrrp::DropReason verdict, const vrrp::Envelope& envelope,
    std::span<const uint8_t> payload, const std::string& interface,
    const Lookup& lookup) {
  if (verdict != vrrp::DropReason::kNone) {
    Drop(verdict, envelope.source, interface);
    return std::nullopt;
  }
  vrrp::Decoded decoded = vrrp::DecodeAdvert(payload, envelope);
  if (decoded.drop != vrrp::DropReason::kNone) {
    Drop(decoded.drop, envelope.source, interface);
    return std::nullopt;
  }
  Instance* instance = lookup(decoded.advert.vrid);
  if (instance == nullptr) {
    Drop(vrrp::DropReason::kUnknownVrid, envelope.source, interface);
    return std::nullopt;
  }
  ++checksum_forms_[static_cast<size_t>(decoded.checksum_form)];
  vrrp::DropReason reason =
      CheckAdvertForInstance(decoded.advert, envelope, instance->spec(),
                             instance->priority(), instance->own_address());
  if (reason != vrrp::DropReason::kNone) {
    Drop(reason, envelope.source, interface);
    return std::nullopt;
  }
  CheckAddressList(*instance, decoded.advert, envelope.source);
  CheckInterval(*instance, decoded.advert, envelope.source);
  return Delivery{instance, std::move(decoded.advert)};
}

bool AdvertReceiver::ShouldLog(TimePoint& last, uint64_t count) {
  TimePoint now = clock_->Now();
  if (count > 1 && now - last < kLogInterval) return false;
  last = now;
  return true;
}

void AdvertReceiver::Drop(vrrp::DropReason reason, const IpAddress& source,
                          const std::string& interface) {
  size_t index = static_cast<size_t>(reason);
  ++drops_[index];
  if (!ShouldLog(last_drop_log_[index], drops_[index])) return;
  warn_(absl::StrFormat("dropped VRRP packet from %s on %s: %s (%d so far)",
                        source.ToString(), interface,
                        vrrp::DropReasonName(reason), drops_[index]));
}

// R9 for v3: a different interval is only logged; the backup adopts the
// master's (RFC 9568 6.4.2). (v2 drops it in CheckAdvertForInstance.)
void AdvertReceiver::CheckInterval(const Instance& instance,
                                   const vrrp::Advert& advert,
                                   const IpAddress& source) {
  if (advert.interval_cs == instance.spec().advert_int_cs) return;
  ++interval_mismatches_;
  if (!ShouldLog(last_interval_log_, interval_mismatches_)) return;
  warn_(absl::StrFormat(
      "VRRP_Instance(%s) advert from %s has interval %d cs, ours is %d cs; "
      "following the master's (%d so far)",
      instance.name(), source.ToString(), advert.interval_cs,
      instance.spec().advert_int_cs, interval_mismatches_));
}

// R11: a different address list is a misconfiguration worth saying, but (as
// keepalived and RFC 9568 for v3 do) not a reason to drop the advert.
void AdvertReceiver::CheckAddressList(const Instance& instance,
                                      const vrrp::Advert& advert,
                                      const IpAddress& source) {
  if (instance.spec().skip_check_adv_addr) return;
  if (advert.addresses == instance.spec().vips) return;
  ++address_mismatches_;
  if (!ShouldLog(last_mismatch_log_, address_mismatches_)) return;
  warn_(absl::StrFormat(
      "VRRP_Instance(%s) advert from %s lists other addresses than our "
      "virtual_ipaddress (%d so far); check both configs",
      instance.name(), source.ToString(), address_mismatches_));
}

}  // namespace vigil::brain
