#include "netagent/agent.h"

#include <linux/capability.h>
#include <net/if.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <span>

#include "common/instance_family.h"
#include "common/log.h"
#include "common/managed_addresses.h"
#include "common/resource_limits.h"
#include "common/sandbox.h"
#include "common/status_macros.h"
#include "common/vrrp_constants.h"
#include "conf/config_diff.h"
#include "conf/loader.h"
#include "netagent/agent_syscalls.h"
#include "netagent/control_socket.h"
#include "netagent/script_security.h"
#include "netagent/signal_dumps.h"
#include "netagent/vmac.h"
#include "netagent/vrrp_sockets.h"

namespace vigil::agent {
namespace {

// Twice a lifetime (see RenewLeases).
Duration RenewalPeriod(uint32_t lifetime_s) {
  return Duration(int64_t{lifetime_s} * 500'000);
}

}  // namespace

const std::vector<int>& Agent::KeptCapabilities() {
  // NET_ADMIN: add and remove VIPs. NET_RAW: packet socket for GARP (and
  // re-opening VRRP sockets later). KILL: signal children, which run as
  // other users.
  static const std::vector<int> kKept = {CAP_NET_ADMIN, CAP_NET_RAW, CAP_KILL};
  return kKept;
}

Agent::Agent(EventLoop* loop, Clock* clock, const Options& options,
             config::Config config)
    : loop_(loop),
      clock_(clock),
      options_(options),
      config_(std::move(config)),
      instances_(config_),
      policy_(instances_),
      announcements_(config_.global()) {}

absl::Status Agent::Start() {
  // The launcher first, while the agent holds nothing worth inheriting.
  ASSIGN_OR_RETURN(SeccompMode mode, ParseSeccompMode(options_.seccomp));
  ASSIGN_OR_RETURN(
      Launcher launcher,
      Launcher::Start(mode, options_.log_console, options_.log_detail));
  launcher_.emplace(std::move(launcher));
  PlaceOnCpus();
  // Users next: a missing one stops start-up before the network is touched.
  RETURN_IF_ERROR(ResolveUsers());
  ASSIGN_OR_RETURN(
      ControlListener control,
      OpenControlSocket(options_.control_socket, options_.control_group));
  control_listener_ = std::move(control.fd);
  control_gid_ = control.group;
  if (config_.global().metrics_port() != 0) {
    ASSIGN_OR_RETURN(metrics_listener_,
                     OpenMetricsListener(config_.global().metrics_address(),
                                         static_cast<uint16_t>(
                                             config_.global().metrics_port())));
  }
  ASSIGN_OR_RETURN(RouteSocket vmac_socket, RouteSocket::Open());
  vmac_socket_.emplace(std::move(vmac_socket));
  RETURN_IF_ERROR(CreateVmacs());
  ASSIGN_OR_RETURN(network_, ResolveNetwork(FullConfig()));
  ASSIGN_OR_RETURN(AddressBatch addresses, AddressBatch::Open());
  addresses_.emplace(std::move(addresses));
  ASSIGN_OR_RETURN(RouteManager routes, RouteManager::Open());
  routes_.emplace(std::move(routes));
  ASSIGN_OR_RETURN(Announcer announcer, Announcer::Open());
  announcer_.emplace(std::move(announcer));
  // VIPs left by an earlier run that did not stop cleanly, as keepalived does.
  RemoveAllVips("start-up");
  InitTrackFiles();
  ASSIGN_OR_RETURN(AcceptFilter filter, AcceptFilter::Open());
  accept_filter_.emplace(std::move(filter));
  RETURN_IF_ERROR(InstallAcceptFilter());
  for (int signo : {SIGTERM, SIGINT}) {
    RETURN_IF_ERROR(
        loop_->WatchSignal(signo, [this] { BeginShutdown("signal", 0); }));
  }
  RETURN_IF_ERROR(loop_->WatchSignal(SIGCHLD, [this] { OnChildExit(); }));
  RETURN_IF_ERROR(
      loop_->WatchSignal(SIGHUP, [this] { (void)Reload("SIGHUP"); }));
  for (std::pair<int, DumpKind> dump :
       {std::pair{SIGUSR1, DumpKind::kData},
        std::pair{SIGUSR2, DumpKind::kStats},
        std::pair{SIGRTMIN + 2, DumpKind::kJson}}) {
    DumpKind kind = dump.second;  // a lambda cannot capture a binding (clang)
    RETURN_IF_ERROR(
        loop_->WatchSignal(dump.first, [this, kind] { RequestDump(kind); }));
  }
  ASSIGN_OR_RETURN(LinkMonitor links, LinkMonitor::Open());
  links_.emplace(std::move(links));
  RETURN_IF_ERROR(loop_->WatchFd(links_->fd(), [this] { OnLinksReadable(); }));
  RETURN_IF_ERROR(SpawnChildren());
  TrackLinks();
  RETURN_IF_ERROR(KeepOnlyCapabilities(KeptCapabilities(), {}));
  // Last: the agent starts no process itself (the launcher does), so its
  // filter forbids fork, exec and changing users.
  RETURN_IF_ERROR(
      InstallSeccomp(AgentSyscalls(), AgentRefusedSyscalls(), mode));
  LOG_DEBUG("seccomp filter loaded (%s)", SeccompModeName(mode));
  LOG_INFO(
      "running; kept capabilities: %s; children started by "
      "vigil-launcher (pid %d)",
      DescribeCapabilities(KeptCapabilities()), launcher_->pid());
  return absl::OkStatus();
}

absl::StatusOr<Agent::Network> Agent::ResolveNetwork(
    const config::Config& config) const {
  Network network;
  std::set<IpAddress> vips;
  for (const config::VrrpInstance& instance : config.instances()) {
    for (const config::VirtualAddress* vip : ManagedAddresses(instance)) {
      if (std::optional<IpAddress> a = IpAddress::FromBytes(vip->address()))
        vips.insert(*a);
    }
  }
  for (const config::VrrpInstance& instance : config.instances()) {
    std::set<std::string> names = {instance.interface(),
                                   VipInterface(instance)};
    for (const config::VirtualAddress* vip : ManagedAddresses(instance))
      names.insert(AddressInterface(instance, *vip));
    for (const std::string& name : names) {
      if (network.interfaces.count(name)) continue;
      absl::StatusOr<InterfaceInfo> info = LookUpInterface(name, vips);
      if (!info.ok()) {
        return absl::Status(
            info.status().code(),
            absl::StrCat(instance.location(), ": vrrp_instance ",
                         instance.name(), ": ", info.status().message()));
      }
      network.interfaces[name] = *info;
    }
    const std::string& advert = AdvertInterface(instance);
    InterfaceInfo& info = network.interfaces[advert];
    // A VMAC has no IPv4 address of its own: adverts come from the base's.
    if (advert != instance.interface() && !info.primary_ipv4)
      info.primary_ipv4 = network.interfaces[instance.interface()].primary_ipv4;
    int family = InstanceFamily(instance);
    const std::optional<IpAddress>& source =
        family == AF_INET6 ? info.link_local : info.primary_ipv4;
    if (!source) {
      return absl::FailedPreconditionError(absl::StrCat(
          "interface ", advert, " of vrrp_instance ", instance.name(),
          " has no ", family == AF_INET6 ? "IPv6 link-local" : "IPv4",
          " address to send adverts from"));
    }
    // Every instance's family needs a socket; multicast ones add their group.
    std::set<IpAddress>& groups = network.socket_groups[{advert, family}];
    if (instance.unicast_peers().empty()) {
      if (std::optional<IpAddress> group =
              IpAddress::FromBytes(instance.multicast_group())) {
        groups.insert(*group);
      }
    }
  }
  return network;
}

void Agent::RemoveAllVips(const char* why) {
  for (const config::VrrpInstance& instance : instances_.All()) {
    if (absl::Status s = SetActive(instance, false); !s.ok()) {
      LOG_ERROR("VRRP_Instance(%s) removing VIPs (%s): %s", instance.name(),
                why, s.ToString());
    }
  }
}

// Installed once for the whole run: on a backup the VIPs are absent, so the
// rules match nothing, and a master never has a window without them.
absl::Status Agent::InstallAcceptFilter() {
  std::set<IpAddress> blocked;
  for (const config::VrrpInstance& instance : instances_.All()) {
    if (!instance.no_accept()) continue;
    std::string listed;
    for (const config::VirtualAddress* vip : ManagedAddresses(instance)) {
      if (std::optional<IpAddress> a = IpAddress::FromBytes(vip->address())) {
        blocked.insert(*a);
        absl::StrAppend(&listed, listed.empty() ? "" : " ", vip->text());
      }
    }
    LOG_WARNING(
        "VRRP_Instance(%s) Accept_Mode false (no_accept): as master it drops "
        "all traffic to %s except ARP and neighbour discovery; use 'accept' "
        "to allow it",
        instance.name(), listed);
  }
  absl::Status status = accept_filter_->Apply(blocked);
  if (!status.ok()) {
    return absl::Status(
        status.code(),
        absl::StrCat("Accept_Mode false needs nf_tables: ", status.message()));
  }
  return absl::OkStatus();
}

void Agent::RemoveAcceptFilter() {
  if (!accept_filter_) return;
  if (absl::Status s = accept_filter_->Apply({}); !s.ok())
    LOG_ERROR("removing the Accept_Mode rules: %s", s.ToString());
}

// use_vmac: each VMAC is made (or remade) before the interfaces are looked
// up, and removed on a clean stop, as keepalived does.
absl::Status Agent::CreateVmacs() {
  for (const config::VrrpInstance& instance : instances_.All()) {
    if (!instance.use_vmac()) continue;
    absl::Status s =
        CreateVmac(*vmac_socket_, instance.vmac_name(), instance.interface(),
                   static_cast<uint8_t>(instance.vrid()),
                   InstanceFamily(instance) == AF_INET6);
    if (!s.ok()) {
      return absl::Status(s.code(),
                          absl::StrCat(instance.location(), ": vrrp_instance ",
                                       instance.name(), ": ", s.message()));
    }
    LOG_INFO("VRRP_Instance(%s) VMAC %s on %s", instance.name(),
             instance.vmac_name(), instance.interface());
  }
  return absl::OkStatus();
}

// VMACs are made at start only; a reload may not add, drop or rename one.
absl::Status Agent::CheckVmacsUnchanged(const config::Config& before,
                                        const config::Config& next) {
  auto vmacs = [](const config::Config& c) {
    std::set<std::tuple<std::string, std::string, uint32_t>> out;
    for (const config::VrrpInstance& i : c.instances())
      if (i.use_vmac()) out.insert({i.vmac_name(), i.interface(), i.vrid()});
    return out;
  };
  if (vmacs(next) == vmacs(before)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "use_vmac settings changed; they take effect when vigild restarts");
}

void Agent::DeleteVmacs() {
  for (const config::VrrpInstance& instance : instances_.All())
    if (instance.use_vmac()) DeleteVmac(*vmac_socket_, instance.vmac_name());
}

// track_file's init_file: the file gets its value before anyone reads it.
void Agent::InitTrackFiles() {
  for (const config::VrrpTrackFile& file : config_.track_files()) {
    if (!file.init()) continue;
    std::error_code error;
    if (!file.init_overwrite() && std::filesystem::exists(file.path(), error))
      continue;
    std::ofstream out(file.path(), std::ios::trunc);
    out << file.init_value() << "\n";
    if (!out) {
      LOG_ERROR("track_file(%s) init_file: cannot write %s", file.name(),
                file.path());
    }
  }
}

// enable_script_security with root scripts: refuse to start rather than run
// a command another user could have replaced.
absl::Status Agent::CheckScriptSecurity(const config::Config& config) {
  for (const ScriptCommand& command : ScriptCommands(config)) {
    if (std::optional<std::string> problem = ScriptPathProblem(command.path)) {
      return absl::FailedPreconditionError(absl::StrCat(
          command.location, ": enable_script_security: ", command.what,
          " would run as root but ", *problem));
    }
  }
  return absl::OkStatus();
}

absl::Status Agent::ResolveUsers() {
  ASSIGN_OR_RETURN(brain_user_, LookUpUser(options_.brain_user));
  if (brain_user_.uid == 0) {
    return absl::InvalidArgumentError("the VRRP process must not run as root");
  }
  std::string script_user = config_.global().script_user();
  if (script_user.empty()) script_user = options_.checker_user;
  ASSIGN_OR_RETURN(checker_user_, LookUpUser(script_user));
  if (checker_user_.uid == 0) {
    LOG_WARNING(
        "script_user is root: check and notify scripts run as uid 0 (without "
        "capabilities); a dedicated user is safer");
    if (config_.global().enable_script_security())
      RETURN_IF_ERROR(CheckScriptSecurity(FullConfig()));
  }
  return absl::OkStatus();
}

absl::Status Agent::AddBrainSockets(const Network& network,
                                    const Network* previous,
                                    ipc::BrainSetup* setup,
                                    std::vector<UniqueFd>* fds) const {
  for (const auto& [key, groups] : network.socket_groups) {
    const auto& [name, family] = key;
    const InterfaceInfo& info = network.interfaces.at(name);
    const std::optional<IpAddress>& primary =
        family == AF_INET6 ? info.link_local : info.primary_ipv4;
    auto* s = setup->add_sockets();
    s->set_interface(name);
    s->set_ifindex(static_cast<uint32_t>(info.ifindex));
    s->set_primary(std::string(primary->bytes()));
    if (previous != nullptr) {
      auto old = previous->socket_groups.find(key);
      auto old_info = previous->interfaces.find(name);
      const std::optional<IpAddress>& old_primary =
          family == AF_INET6 ? old_info->second.link_local
                             : old_info->second.primary_ipv4;
      if (old != previous->socket_groups.end() && old->second == groups &&
          old_info->second.ifindex == info.ifindex && old_primary == primary) {
        s->set_reuse(true);
        continue;
      }
    }
    ASSIGN_OR_RETURN(UniqueFd fd, OpenVrrpSocket(info, family, groups));
    fds->push_back(std::move(fd));
  }
  return absl::OkStatus();
}

config::Config Agent::FullConfig() const {
  config::Config full = config_;
  instances_.AddTo(full);
  return full;
}

// The brain keeps each instance's config for as long as it runs: what only
// the agent's messages use (where it was written, each VIP as written) stays
// here (0.16 MB of the brain's memory at 1,000 instances). Every setup and
// reload is stripped alike, so the brain's reload diff compares like with like.
config::Config Agent::BrainConfig() const {
  config::Config config = FullConfig();
  for (config::VrrpInstance& instance : *config.mutable_instances()) {
    instance.clear_location();
    // Without one the brain uses the RFC's group: naming it in each of
    // 1,000 instances cost the brain 80 kB.
    if (std::optional<IpAddress> group =
            IpAddress::FromBytes(instance.multicast_group());
        group && *group == vrrp::MulticastGroup(group->family())) {
      instance.clear_multicast_group();
    }
    for (config::VirtualAddress& vip : *instance.mutable_vips())
      vip.clear_text();
    for (config::VirtualAddress& vip : *instance.mutable_excluded_vips())
      vip.clear_text();
  }
  return config;
}

// The checker needs no secrets: its copy has no VRRP passwords.
ipc::CheckerSetup Agent::CheckerConfig() const {
  ipc::CheckerSetup setup;
  *setup.mutable_config() = FullConfig();
  for (auto& instance : *setup.mutable_config()->mutable_instances())
    instance.clear_auth_pass();
  setup.set_detailed_log(options_.log_detail);
  return setup;
}

// The interfaces the instances track: their own and track_interface ones.
// Each one's current state goes to the brain (also after a reload, so new
// instances learn it).
void Agent::TrackLinks() {
  std::map<std::string, bool> tracked;
  for (const config::VrrpInstance& instance : instances_.All()) {
    tracked[instance.interface()] = false;
    for (const config::TrackInterface& t : instance.track_interfaces())
      tracked[t.name()] = false;
  }
  for (auto& [name, up] : tracked) {
    up = LinkMonitor::IsUp(name);
    if (!up && if_nametoindex(name.c_str()) == 0) {
      LOG_WARNING("tracked interface %s does not exist; it counts as down",
                  name);
    }
    SendLinkState(name, up);
  }
  link_up_ = std::move(tracked);
}

void Agent::OnLinksReadable() {
  links_->Drain([this](const std::string& name, bool up) {
    auto it = link_up_.find(name);
    if (it == link_up_.end() || it->second == up) return;
    it->second = up;
    LOG_INFO("interface %s is %s", name, up ? "up" : "down");
    SendLinkState(name, up);
  });
}

void Agent::SendLinkState(const std::string& interface, bool up) {
  ipc::AgentToBrain message;
  message.mutable_link_state()->set_interface(interface);
  message.mutable_link_state()->set_up(up);
  if (brain_.channel && !stopping_) (void)brain_.channel->Send(message);
}

absl::Status Agent::Reload(const char* trigger) {
  if (stopping_ || !brain_.channel) {
    return absl::UnavailableError(
        "vigild is stopping or restarting its VRRP process; try again");
  }
  std::string config_id =
      options_.config_id.empty() ? conf::DefaultConfigId() : options_.config_id;
  LOG_INFO("reload (%s): reading %s", trigger, options_.config_file);
  systemd_.Notify("RELOADING=1");
  // Whatever the outcome, vigild runs on (the old or the new config).
  struct Ready {
    const SystemdNotifier& systemd;
    ~Ready() { systemd.Notify("READY=1"); }
  } ready{systemd_};
  conf::LoadResult loaded =
      conf::LoadConfigFile(options_.config_file, config_id);
  LogDiagnostics(loaded.diagnostics);
  if (!loaded.ok()) {
    LOG_ERROR(
        "reload: the new configuration is invalid; still running the "
        "previous one");
    std::string errors;
    for (const conf::Diagnostic& d : loaded.diagnostics.items()) {
      if (d.severity == conf::Severity::kError)
        absl::StrAppend(&errors, d.ToString(), "\n");
    }
    return absl::InvalidArgumentError(errors);
  }
  loaded.diagnostics = conf::Diagnostics();
  if (absl::Status s = ApplyConfig(conf::Repacked(std::move(loaded.config)));
      !s.ok()) {
    LOG_ERROR("reload failed (%s); still running the previous configuration",
              s.message());
    return s;
  }
  return absl::OkStatus();
}

// keepalived's dump signals: the brain has the state, the agent writes.
void Agent::RequestDump(DumpKind kind) {
  bool asked = !pending_dumps_.empty();
  pending_dumps_.insert(kind);
  if (asked || !brain_.channel || stopping_) return;
  ipc::AgentToBrain message;
  message.mutable_dump_request();
  (void)brain_.channel->Send(message);
}

void Agent::WriteDumps(const ipc::Dump& dump) {
  for (DumpKind kind : pending_dumps_) {
    if (absl::Status s = WriteDumpFile(DumpPath(kind), DumpText(kind, dump));
        !s.ok()) {
      LOG_ERROR("%s", s.ToString());
    } else {
      LOG_INFO("wrote %s", DumpPath(kind));
    }
  }
  pending_dumps_.clear();
}

// systemd: READY=1 once every instance has left INIT (Type=notify), and the
// brain's one-line summary as STATUS=. The line is the brain's, so it is
// cut short and stripped of newlines before systemd sees it.
void Agent::OnSummary(const ipc::Summary& summary) {
  std::string line = summary.line().substr(0, 200);
  std::replace(line.begin(), line.end(), '\n', ' ');
  std::string state = "STATUS=" + line;
  if (summary.all_started() && !ready_) {
    ready_ = true;
    state = "READY=1\n" + state;
    LOG_INFO("every instance has started: %s", line);
  }
  systemd_.Notify(state);
}

// vigilctl reload, relayed by the brain. At most one a second: the brain is
// not trusted, and a reload reads files and may reopen sockets. One asked
// for sooner waits for its turn (requests meanwhile join it), so a script
// running two reloads in a row gets both done.
void Agent::ReloadForBrain() {
  TimePoint now = clock_->Now();
  TimePoint allowed =
      last_brain_reload_ ? *last_brain_reload_ + std::chrono::seconds(1) : now;
  if (now < allowed) {
    brain_reload_due_ = allowed;
    RearmTimer();
    return;
  }
  brain_reload_due_.reset();
  last_brain_reload_ = now;
  absl::Status status = Reload("vigilctl");
  ipc::AgentToBrain message;
  message.mutable_reload_result()->set_ok(status.ok());
  message.mutable_reload_result()->set_errors(std::string(status.message()));
  if (brain_.channel && !stopping_) (void)brain_.channel->Send(message);
}

// Everything that can fail (interfaces, sockets) comes first, so a failed
// reload leaves the running configuration whole.
absl::Status Agent::ApplyConfig(config::Config next) {
  if (next.global().notify_fifo() != config_.global().notify_fifo()) {
    LOG_WARNING(
        "reload: notify_fifo changed; the FIFO opened at start stays in use "
        "until vigild restarts");
  }
  if (next.global().metrics_port() != config_.global().metrics_port() ||
      next.global().metrics_address() != config_.global().metrics_address()) {
    LOG_WARNING(
        "reload: metrics_listen changed; the listener opened at start stays "
        "until vigild restarts");
  }
  if (next.global().script_user() != config_.global().script_user()) {
    LOG_WARNING(
        "reload: script_user changed; scripts keep running as %s until vigild "
        "restarts",
        checker_user_.name);
  }
  if (next.global().vrrp_rt_priority() != config_.global().vrrp_rt_priority() ||
      next.global().vrrp_nice() != config_.global().vrrp_nice() ||
      next.global().vrrp_rlimit_rttime_us() !=
          config_.global().vrrp_rlimit_rttime_us()) {
    LOG_WARNING(
        "reload: vrrp_rt_priority, vrrp_priority or vrrp_rlimit_rttime "
        "changed; they take effect when vigild restarts");
  }
  if (CpuRequestFor(config_.global()) != CpuRequestFor(next.global())) {
    LOG_WARNING(
        "reload: vrrp_cpu_affinity, checker_cpu_affinity or "
        "vrrp_no_cpu_affinity changed; they take effect when vigild restarts");
  }
  const config::Config running = FullConfig();  // instances decoded once
  RETURN_IF_ERROR(CheckVmacsUnchanged(running, next));
  ASSIGN_OR_RETURN(Network network, ResolveNetwork(next));
  ipc::AgentToBrain to_brain;
  ipc::BrainSetup* reload = to_brain.mutable_reload();
  std::vector<UniqueFd> fds;
  RETURN_IF_ERROR(AddBrainSockets(network, &network_, reload, &fds));

  std::vector<conf::InstanceDiff> diff = conf::DiffInstances(running, next);
  // The brain stops removed and restarted instances; their VIPs go now, as
  // the new policy no longer lets it ask.
  for (const conf::InstanceDiff& d : diff) {
    std::optional<config::VrrpInstance> before = policy_.Find(d.name);
    if (!before) continue;
    if (d.kind == conf::InstanceDiff::Kind::kRemoved ||
        d.kind == conf::InstanceDiff::Kind::kReplaced) {
      if (absl::Status s = SetActive(*before, false); !s.ok())
        LOG_ERROR("VRRP_Instance(%s) %s", d.name, s.ToString());
    } else if (d.kind == conf::InstanceDiff::Kind::kChanged) {
      for (const config::VrrpInstance& after : next.instances())
        if (after.name() == d.name) RemoveDroppedVips(*before, after);
    }
  }
  std::vector<std::string> active = active_.Names();
  std::vector<std::string> unresumed = unresumed_.Names();
  config_ = std::move(next);
  instances_ = PackedInstances(config_);
  active_ = InstanceSet(instances_, active);
  unresumed_ = InstanceSet(instances_, unresumed);
  network_ = std::move(network);
  leases_.reset();
  announcements_.SetGlobal(config_.global());
  if (absl::Status s = InstallAcceptFilter(); !s.ok())
    LOG_ERROR("reload: %s", s.ToString());

  *reload->mutable_config() = BrainConfig();
  reload->set_detailed_log(options_.log_detail);
  std::vector<int> raw_fds;
  for (const UniqueFd& fd : fds) raw_fds.push_back(fd.get());
  RETURN_IF_ERROR(brain_.channel->Send(to_brain, raw_fds));
  ipc::AgentToChecker to_checker;
  *to_checker.mutable_reload() = CheckerConfig();
  if (checker_.channel) RETURN_IF_ERROR(checker_.channel->Send(to_checker));
  TrackLinks();
  LOG_INFO("reload: %s", conf::DescribeDiff(diff));
  ReturnFreeMemory();
  return absl::OkStatus();
}

// A changed instance keeps running; VIPs and routes its new config no longer
// lists go.
void Agent::RemoveDroppedVips(const config::VrrpInstance& before,
                              const config::VrrpInstance& after) {
  const InterfaceInfo& interface = network_.interfaces.at(VipInterface(before));
  for (const config::VirtualRoute& route : before.routes()) {
    bool kept = false;
    for (const config::VirtualRoute& now : after.routes())
      kept |= now.SerializeAsString() == route.SerializeAsString();
    if (kept) continue;
    if (absl::StatusOr<bool> removed =
            routes_->Remove(route, interface.ifindex);
        !removed.ok()) {
      LOG_ERROR("VRRP_Instance(%s) %s", before.name(),
                removed.status().ToString());
    }
  }
  for (const config::VirtualAddress* vip : ManagedAddresses(before)) {
    bool kept = false;
    for (const config::VirtualAddress* now : ManagedAddresses(after)) {
      kept |= now->address() == vip->address() &&
              now->prefix_len() == vip->prefix_len() &&
              AddressInterface(after, *now) == AddressInterface(before, *vip);
    }
    if (kept) continue;
    AddressBatch::Address gone{
        network_.interfaces.at(AddressInterface(before, *vip)).ifindex,
        vip->address(), static_cast<int>(vip->prefix_len())};
    AddressBatch::Outcome removed =
        addresses_->Apply(AddressBatch::Op::kRemove, {&gone, 1})[0];
    if (!removed.error.empty()) {
      LOG_ERROR("VRRP_Instance(%s) %s", before.name(), removed.error);
    } else if (removed.changed) {
      LOG_INFO("VRRP_Instance(%s) removing VIP %s (no longer configured)",
               before.name(), vip->text());
    }
  }
}

void Agent::OnBrainReadable() {
  if (!brain_.channel) return;
  ScopedLogHold hold;  // a takeover's requests come in bursts
  for (;;) {
    ipc::BrainToAgent request;
    absl::StatusOr<bool> got = brain_.channel->Receive(&request);
    if (!got.ok()) {
      if (got.status().code() == absl::StatusCode::kUnavailable) {
        loop_->UnwatchFd(brain_.channel->fd());
        return;  // the exit itself is handled on SIGCHLD
      }
      ++refused_requests_;
      LOG_ERROR("refused a brain message: %s (%d refused so far)",
                got.status().message(), refused_requests_);
      continue;
    }
    if (!*got) break;
    Apply(request);
  }
  TrimAfterBurst();
}

void Agent::TrimAfterBurst() {
  if (changes_since_trim_ < kBurstChanges) return;
  changes_since_trim_ = 0;
  ReturnFreeMemory();
}

void Agent::Apply(const ipc::BrainToAgent& request) {
  if (request.has_reload()) return ReloadForBrain();
  if (request.has_summary()) return OnSummary(request.summary());
  if (request.has_dump()) return WriteDumps(request.dump());
  absl::StatusOr<config::VrrpInstance> instance = policy_.Check(request);
  absl::Status status = instance.status();
  if (!instance.ok()) {
    ++refused_requests_;
    LOG_ERROR("refused brain request: %s (%d refused so far)", status.message(),
              refused_requests_);
  } else {
    unresumed_.Erase(instance->name());
    status = SetActive(*instance, request.set_active().active());
    ++changes_since_trim_;
  }
  // Success goes unsaid: at a takeover of hundreds of instances, a reply to
  // each would cost the brain a wake-up and a read per instance.
  if (status.ok()) return;
  ipc::AgentToBrain reply;
  reply.mutable_reply()->set_seq(request.seq());
  reply.mutable_reply()->set_code(static_cast<int>(status.code()));
  reply.mutable_reply()->set_message(std::string(status.message()));
  if (brain_.channel && !stopping_) (void)brain_.channel->Send(reply);
}

absl::Status Agent::SetActive(const config::VrrpInstance& instance,
                              bool active) {
  leases_.reset();
  announcements_.Deactivate(instance.name());
  // Routes go before their source addresses and come after them. A route
  // that cannot be removed must not keep the VIPs in place.
  if (absl::Status s = active ? absl::OkStatus() : SetRoutes(instance, false);
      !s.ok()) {
    LOG_ERROR("VRRP_Instance(%s) %s", instance.name(), s.ToString());
  }
  RETURN_IF_ERROR(SetAddresses(instance, active));
  if (!active) active_.Erase(instance.name());
  if (active) {
    active_.Insert(instance.name());
    // The add gave the VIPs their lease; the timer renews it from now on.
    if (uint32_t lifetime = config_.global().vip_lifetime_s();
        lifetime > 0 && !next_renewal_) {
      next_renewal_ = clock_->Now() + RenewalPeriod(lifetime);
    }
    RETURN_IF_ERROR(SetRoutes(instance, true));
    announcements_.Activate(instance, clock_->Now());
    SendDueAnnouncements();
  }
  return absl::OkStatus();
}

std::vector<AddressBatch::Address> Agent::VipAddresses(
    const config::VrrpInstance& instance) const {
  std::vector<AddressBatch::Address> addresses;
  for (const config::VirtualAddress* vip : ManagedAddresses(instance)) {
    addresses.push_back(
        {network_.interfaces.at(AddressInterface(instance, *vip)).ifindex,
         vip->address(), static_cast<int>(vip->prefix_len())});
  }
  return addresses;
}

// All of an instance's VIPs in as few system calls as the kernel allows; the
// log names the ones that changed (the first few of a long list).
absl::Status Agent::SetAddresses(const config::VrrpInstance& instance,
                                 bool active) {
  constexpr int kListedVips = 16;
  std::vector<AddressBatch::Outcome> outcomes = addresses_->Apply(
      active ? AddressBatch::Op::kAdd : AddressBatch::Op::kRemove,
      VipAddresses(instance), active ? config_.global().vip_lifetime_s() : 0);
  std::vector<const config::VirtualAddress*> vips = ManagedAddresses(instance);
  std::string changed;
  std::string first_error;
  int changes = 0;
  int errors = 0;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (!outcomes[i].error.empty()) {
      if (errors++ == 0) first_error = outcomes[i].error;
      continue;
    }
    if (!outcomes[i].changed || ++changes > kListedVips) continue;
    const std::string& name = AddressInterface(instance, *vips[i]);
    absl::StrAppend(&changed, changed.empty() ? "" : " ", vips[i]->text(),
                    name == VipInterface(instance) ? "" : " dev " + name);
  }
  if (changes > kListedVips)
    absl::StrAppend(&changed, " and ", changes - kListedVips, " more");
  if (changes > 0) {
    LOG_INFO("VRRP_Instance(%s) %s VIPs on %s: %s", instance.name(),
             active ? "setting" : "removing", VipInterface(instance), changed);
  }
  if (errors == 0) return absl::OkStatus();
  return absl::InternalError(errors == 1 ? first_error
                                         : absl::StrCat(first_error, " (and ",
                                                        errors - 1,
                                                        " more VIPs failed)"));
}

absl::Status Agent::SetRoutes(const config::VrrpInstance& instance,
                              bool present) {
  int ifindex = network_.interfaces.at(VipInterface(instance)).ifindex;
  std::string changed;
  for (const config::VirtualRoute& route : instance.routes()) {
    ASSIGN_OR_RETURN(bool did, present ? routes_->Add(route, ifindex)
                                       : routes_->Remove(route, ifindex));
    if (did)
      absl::StrAppend(&changed, changed.empty() ? "" : "; ", route.text());
  }
  if (!changed.empty()) {
    LOG_INFO("VRRP_Instance(%s) %s routes: %s", instance.name(),
             present ? "setting" : "removing", changed);
  }
  return absl::OkStatus();
}

// VIP leases: renewed twice a lifetime, so a renewal may come half a
// lifetime late (less the kernel's own granularity) without a live master
// losing a VIP, while a dead agent loses its VIPs within one lifetime. Each
// renewal is an address change for the kernel (3 µs per IPv4 VIP here):
// four a lifetime made them more of vigil's CPU than the adverts at 255
// instances.
void Agent::RenewLeases() {
  uint32_t lifetime = config_.global().vip_lifetime_s();
  if (active_.empty() || lifetime == 0 || stopping_) {
    next_renewal_.reset();
    return;
  }
  TimePoint now = clock_->Now();
  if (now < *next_renewal_) return;
  if (!leases_) leases_ = ActiveLeases();
  for (const AddressBatch::Outcome& outcome :
       addresses_->Apply(AddressBatch::Op::kRenew, *leases_, lifetime)) {
    if (!outcome.error.empty()) LOG_ERROR("%s", outcome.error);
  }
  next_renewal_ = now + RenewalPeriod(lifetime);
}

// Built once per change of the active set or the config, not per renewal:
// looking every instance up again each second cost the agent 0.4 µs per
// advert at 255 instances (of 5).
std::vector<AddressBatch::Address> Agent::ActiveLeases() {
  std::vector<AddressBatch::Address> leases;
  for (const config::VrrpInstance& instance : active_.Decoded()) {
    for (AddressBatch::Address& address : VipAddresses(instance))
      leases.push_back(std::move(address));
  }
  return leases;
}

// A line per VIP, as keepalived logs it, up to a point: a takeover of
// thousands of VIPs says how many instead of writing thousands of lines.
void Agent::LogBurst(const config::VrrpInstance& instance, int count) {
  constexpr size_t kListedVips = 16;
  std::vector<const config::VirtualAddress*> vips = ManagedAddresses(instance);
  for (size_t i = 0; i < vips.size() && i < kListedVips; ++i) {
    LOG_INFO(
        "VRRP_Instance(%s) Sending %d %s on %s for %s", instance.name(), count,
        vips[i]->address().size() == 16 ? "unsolicited neighbour advertisements"
                                        : "gratuitous ARPs",
        VipInterface(instance), vips[i]->text());
  }
  if (vips.size() > kListedVips) {
    LOG_INFO("VRRP_Instance(%s) Sending %d GARP/NA each for %zu more VIPs",
             instance.name(), count, vips.size() - kListedVips);
  }
}

void Agent::SendDueAnnouncements() {
  TimePoint now = clock_->Now();
  for (const AnnouncementSchedule::Burst& burst :
       announcements_.StartDueBursts(now)) {
    // The schedule keeps its own copy; a reload may have dropped the name.
    if (std::optional<config::VrrpInstance> instance =
            policy_.Find(burst.instance))
      LogBurst(*instance, burst.count);
  }
  std::vector<AnnouncementSchedule::Packet> due =
      announcements_.TakeDuePackets(now);
  std::vector<Announcer::Announcement> batch;
  batch.reserve(due.size());
  for (const AnnouncementSchedule::Packet& packet : due)
    batch.push_back(
        {&network_.interfaces.at(packet.interface), packet.address});
  for (const std::string& error : announcer_->Announce(batch))
    LOG_ERROR("%s", error);
  changes_since_trim_ += batch.size();
  RearmTimer();
}

void Agent::OnTimer() {
  ScopedLogHold hold;  // a burst of GARP/NA logs a line per instance
  TimePoint now = clock_->Now();
  if (kill_deadline_ && now >= *kill_deadline_) KillLateChildren();
  if (resume_deadline_ && now >= *resume_deadline_) WithdrawUnresumed();
  if (brain_reload_due_ && now >= *brain_reload_due_) ReloadForBrain();
  RestartDueChildren();
  if (next_renewal_) RenewLeases();
  SendDueAnnouncements();  // rearms the timer
  TrimAfterBurst();
}

void Agent::RearmTimer() {
  std::optional<TimePoint> earliest;
  for (const std::optional<TimePoint>& t :
       {kill_deadline_, next_renewal_, resume_deadline_, brain_reload_due_,
        brain_.restart_at, checker_.restart_at, announcements_.NextDue()}) {
    if (t && (!earliest || *t < *earliest)) earliest = t;
  }
  loop_->SetTimer(earliest, [this] { OnTimer(); });
}

void LogDiagnostics(const conf::Diagnostics& diagnostics) {
  for (const conf::Diagnostic& d : diagnostics.items()) {
    if (d.severity == conf::Severity::kError) {
      LOG_ERROR("%s", d.ToString());
    } else {
      LOG_WARNING("%s", d.ToString());
    }
  }
}

}  // namespace vigil::agent
