#include "daemon/brain.h"

#include <arpa/inet.h>
#include <signal.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "daemon/receive_checks.h"

namespace vigil::brain {
namespace {

constexpr Duration kDropLogInterval = std::chrono::seconds(10);

}  // namespace

Brain::Brain(EventLoop* loop, Clock* clock, IpcChannel agent,
             IpcChannel checker)
    : loop_(loop),
      clock_(clock),
      agent_(std::move(agent)),
      checker_(std::move(checker)) {}

absl::Status Brain::Start(const ipc::BrainSetup& setup,
                          std::vector<UniqueFd> socket_fds) {
  config_ = setup.config();
  if (socket_fds.size() != static_cast<size_t>(setup.sockets_size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("setup lists ", setup.sockets_size(),
                     " sockets but carries ", socket_fds.size()));
  }
  std::map<std::pair<std::string, int>, AdvertSocket*> by_interface;
  for (int i = 0; i < setup.sockets_size(); ++i) {
    const ipc::VrrpSocket& s = setup.sockets(i);
    std::optional<IpAddress> primary = IpAddress::FromBytes(s.primary());
    if (!primary)
      return absl::InvalidArgumentError(
          "setup socket without a primary address");
    auto socket =
        std::make_unique<AdvertSocket>(std::move(socket_fds[i]), s.interface(),
                                       static_cast<int>(s.ifindex()), *primary);
    by_interface[{s.interface(), primary->family()}] = socket.get();
    sockets_.push_back(std::move(socket));
  }
  for (const config::VrrpInstance& c : config_.instances()) {
    auto it = by_interface.find({c.interface(), InstanceFamily(c)});
    if (it == by_interface.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "no VRRP socket for interface ", c.interface(), " of ", c.name()));
    }
    auto instance = std::make_unique<Instance>(
        c, config_, OwnAddress(c, *it->second), clock_, this);
    socket_of_[instance.get()] = it->second;
    by_vrid_[{it->second, static_cast<uint8_t>(c.vrid())}] = instance.get();
    instances_.push_back(std::move(instance));
  }
  for (auto& socket : sockets_) {
    AdvertSocket* raw = socket.get();
    RETURN_IF_ERROR(loop_->WatchFd(raw->fd(), [this, raw] {
      raw->Drain([this, raw](vrrp::DropReason verdict,
                             const vrrp::Envelope& envelope,
                             std::span<const uint8_t> payload) {
        OnDatagram(*raw, verdict, envelope, payload);
      });
      RearmTimer();
    }));
  }
  RETURN_IF_ERROR(loop_->WatchFd(agent_.fd(), [this] { OnAgentReadable(); }));
  RETURN_IF_ERROR(
      loop_->WatchFd(checker_.fd(), [this] { OnCheckerReadable(); }));
  for (int signo : {SIGTERM, SIGINT}) {
    RETURN_IF_ERROR(
        loop_->WatchSignal(signo, [this] { ShutdownAndStop("signal"); }));
  }
  for (auto& instance : instances_) instance->Start();
  RearmTimer();
  return absl::OkStatus();
}

int Brain::InstanceFamily(const config::VrrpInstance& c) {
  return !c.vips().empty() && c.vips(0).address().size() == 16 ? AF_INET6
                                                               : AF_INET;
}

IpAddress Brain::OwnAddress(const config::VrrpInstance& c,
                            const AdvertSocket& socket) {
  std::optional<IpAddress> configured =
      IpAddress::FromBytes(c.source_address());
  return configured ? *configured : socket.primary_address();
}

void Brain::OnDatagram(AdvertSocket& socket, vrrp::DropReason verdict,
                       const vrrp::Envelope& envelope,
                       std::span<const uint8_t> payload) {
  if (verdict != vrrp::DropReason::kNone) {
    return Drop(verdict, envelope.source, socket.interface());
  }
  // Our own adverts looped back (multicast loop is off; this is belt and
  // braces).
  if (envelope.source == socket.primary_address()) return;
  vrrp::Decoded decoded = vrrp::DecodeAdvert(payload, envelope);
  if (decoded.drop != vrrp::DropReason::kNone) {
    return Drop(decoded.drop, envelope.source, socket.interface());
  }
  auto it = by_vrid_.find({&socket, decoded.advert.vrid});
  if (it == by_vrid_.end()) {
    return Drop(vrrp::DropReason::kUnknownVrid, envelope.source,
                socket.interface());
  }
  Instance& instance = *it->second;
  ++checksum_forms_[static_cast<size_t>(decoded.checksum_form)];
  vrrp::DropReason reason =
      CheckAdvertForInstance(decoded.advert, envelope, instance.config(),
                             instance.priority(), instance.own_address());
  if (reason != vrrp::DropReason::kNone)
    return Drop(reason, envelope.source, socket.interface());
  CheckAddressList(instance, decoded.advert, envelope.source);
  LOG_DEBUG("VRRP_Instance(%s) advert from %s priority %d, checksum %s",
            instance.name(), envelope.source.ToString(),
            decoded.advert.priority,
            vrrp::ChecksumFormName(decoded.checksum_form));
  instance.OnAdvert(decoded.advert, envelope.source);
}

// R11: a different address list is a misconfiguration worth saying, but (as
// keepalived and RFC 9568 for v3 do) not a reason to drop the advert.
void Brain::CheckAddressList(const Instance& instance,
                             const vrrp::Advert& advert,
                             const IpAddress& source) {
  const auto& vips = instance.config().vips();
  bool same = static_cast<int>(advert.addresses.size()) == vips.size();
  for (int i = 0; same && i < vips.size(); ++i) {
    same =
        advert.addresses[static_cast<size_t>(i)].bytes() == vips[i].address();
  }
  if (same) return;
  ++address_mismatches_;
  TimePoint now = clock_->Now();
  if (address_mismatches_ > 1 && now - last_mismatch_log_ < kDropLogInterval)
    return;
  last_mismatch_log_ = now;
  LOG_WARNING(
      "VRRP_Instance(%s) advert from %s lists other addresses than our "
      "virtual_ipaddress (%d so far); check both configs",
      instance.name(), source.ToString(), address_mismatches_);
}

void Brain::Drop(vrrp::DropReason reason, const IpAddress& source,
                 const std::string& interface) {
  size_t index = static_cast<size_t>(reason);
  ++drops_[index];
  // Rate-limited: a flood of bad packets must not flood the log.
  TimePoint now = clock_->Now();
  if (drops_[index] > 1 && now - last_drop_log_[index] < kDropLogInterval)
    return;
  last_drop_log_[index] = now;
  LOG_WARNING("dropped VRRP packet from %s on %s: %s (%d so far)",
              source.ToString(), interface, vrrp::DropReasonName(reason),
              drops_[index]);
}

void Brain::SendAdvert(const Instance& instance, uint8_t priority) {
  AdvertSocket* socket = socket_of_.at(&instance);
  const config::VrrpInstance& c = instance.config();
  vrrp::Advert advert;
  advert.version = static_cast<uint8_t>(c.version());
  advert.vrid = static_cast<uint8_t>(c.vrid());
  advert.priority = priority;
  advert.interval_cs = static_cast<uint16_t>(c.advert_int_cs());
  for (const auto& vip : c.vips()) {
    if (advert.addresses.size() == vrrp::kMaxAddresses)
      break;  // TX-6: 8-bit count
    if (std::optional<IpAddress> address =
            IpAddress::FromBytes(vip.address())) {
      advert.addresses.push_back(*address);
    }
  }
  if (c.auth_type() == config::VrrpInstance::AUTH_PASS) {
    advert.auth_type = vrrp::kAuthPass;
    std::memcpy(advert.auth_data.data(), c.auth_pass().data(),
                std::min(c.auth_pass().size(), advert.auth_data.size()));
  }
  std::vector<IpAddress> destinations;
  uint8_t ttl = vrrp::kRequiredTtl;
  for (const std::string& peer : c.unicast_peers()) {
    if (std::optional<IpAddress> address = IpAddress::FromBytes(peer)) {
      destinations.push_back(*address);
    }
    ttl = static_cast<uint8_t>(c.unicast_ttl());
  }
  if (destinations.empty()) {
    std::optional<IpAddress> group = IpAddress::FromBytes(c.multicast_group());
    destinations.push_back(group ? *group
                                 : vrrp::MulticastGroup(socket->family()));
  }
  absl::Status status;
  for (const IpAddress& destination : destinations) {
    // The v3 pseudo-header names the destination, so each copy is encoded.
    vrrp::Envelope envelope{instance.own_address(), destination, ttl};
    status.Update(socket->Send(
        vrrp::EncodeAdvert(advert, envelope, c.v3_checksum_as_v2()),
        instance.own_address(), destination, ttl));
  }
  if (!status.ok()) {
    LOG_ERROR("VRRP_Instance(%s) %s", instance.name(), status.ToString());
  } else if (priority == 0) {
    LOG_INFO("VRRP_Instance(%s) sent priority 0 advert", instance.name());
  }
}

void Brain::SetActive(const Instance& instance, bool active) {
  ipc::BrainToAgent request;
  request.set_seq(next_seq_++);
  request.mutable_set_active()->set_instance(instance.name());
  request.mutable_set_active()->set_active(active);
  absl::Status status = agent_.Send(request);
  if (!status.ok())
    LOG_ERROR("cannot ask the agent to change %s: %s", instance.name(),
              status.ToString());
}

void Brain::StateChanged(const Instance& instance, State from, State to,
                         absl::string_view reason) {
  // keepalived's wording, which users grep for.
  LOG_INFO("VRRP_Instance(%s) Entering %s STATE (%s)", instance.name(),
           StateName(to), reason);
  if (to == State::kMaster) {
    LOG_INFO("VRRP_Instance(%s) priority %d, master down interval was %.3f s",
             instance.name(), instance.priority(),
             static_cast<double>(instance.MasterDownInterval().count()) / 1e6);
  }
}

void Brain::Notice(const Instance& instance, absl::string_view what) {
  LOG_WARNING("VRRP_Instance(%s) %s", instance.name(), what);
}

void Brain::OnAgentReadable() {
  for (;;) {
    ipc::AgentToBrain message;
    absl::StatusOr<bool> got = agent_.Receive(&message);
    if (!got.ok()) {
      if (got.status().code() == absl::StatusCode::kUnavailable) {
        // No priority-0 advert: the VIPs may still be on this host with
        // nobody to remove them, so a backup must wait the full
        // Master_Down_Interval, not just Skew_Time.
        LOG_ERROR("the agent has gone; leaving without priority-0 adverts");
        loop_->Stop();
        return;
      }
      LOG_ERROR("%s", got.status().ToString());
      continue;
    }
    if (!*got) return;
    if (message.has_shutdown()) return ShutdownAndStop("the agent asked");
    if (message.has_reply() && message.reply().code() != 0) {
      LOG_ERROR("agent refused request %d: %s", message.reply().seq(),
                message.reply().message());
    }
  }
}

void Brain::OnCheckerReadable() {
  for (;;) {
    ipc::CheckerToBrain message;
    absl::StatusOr<bool> got = checker_.Receive(&message);
    if (!got.ok()) {
      LOG_ERROR("%s", got.status().ToString());
      if (got.status().code() == absl::StatusCode::kUnavailable)
        loop_->UnwatchFd(checker_.fd());
      return;
    }
    if (!*got) break;
    if (message.has_script_state()) {
      const ipc::ScriptState& s = message.script_state();
      for (auto& instance : instances_)
        instance->SetScriptState(s.script(), s.up());
    }
  }
  RearmTimer();
}

void Brain::OnTimer() {
  for (auto& instance : instances_) instance->OnTimer();
  RearmTimer();
}

void Brain::RearmTimer() {
  std::optional<TimePoint> earliest;
  for (const auto& instance : instances_) {
    std::optional<TimePoint> deadline = instance->NextDeadline();
    if (deadline && (!earliest || *deadline < *earliest)) earliest = deadline;
  }
  loop_->SetTimer(earliest, [this] { OnTimer(); });
}

void Brain::ShutdownAndStop(absl::string_view why) {
  if (stopping_) return;
  stopping_ = true;
  LOG_INFO("stopping (%s)", why);
  for (auto& instance : instances_) instance->Shutdown();
  loop_->Stop();
}

}  // namespace vigil::brain
