#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <set>
#include <vector>

#include "common/clock.h"
#include "common/cpu_affinity.h"
#include "common/event_loop.h"
#include "common/ipc_channel.h"
#include "common/sandbox.h"
#include "conf/location.h"
#include "netagent/accept_filter.h"
#include "netagent/address_batch.h"
#include "netagent/announcement_schedule.h"
#include "netagent/announcer.h"
#include "netagent/instance_set.h"
#include "netagent/interfaces.h"
#include "netagent/launcher.h"
#include "netagent/link_monitor.h"
#include "netagent/options.h"
#include "netagent/packed_instances.h"
#include "netagent/request_policy.h"
#include "netagent/restart_policy.h"
#include "netagent/route_manager.h"
#include "netagent/signal_dumps.h"
#include "netagent/systemd_notify.h"
#include "proto/config.pb.h"

namespace vigil::agent {

// The privileged parent: owns the config, the raw sockets and every change to
// the network; spawns and watches the brain and the checker.
// Runs in: netagent (root; after start-up only the capabilities in
// kKeptCapabilities). Input: its config file; requests from the brain
// (untrusted, checked by RequestPolicy).
// global_defs' vrrp_cpu_affinity, checker_cpu_affinity, vrrp_no_cpu_affinity.
CpuRequest CpuRequestFor(const config::GlobalDefs& global);

class Agent {
 public:
  Agent(EventLoop* loop, Clock* clock, const Options& options,
        config::Config config);

  // Everything that needs privileges, then the capability drop.
  absl::Status Start();
  int exit_code() const { return exit_code_; }

  static const std::vector<int>& KeptCapabilities();

 private:
  // What the config needs from this machine: its interfaces, and one VRRP
  // socket per (interface, family) joined to these groups.
  struct Network {
    std::map<std::string, InterfaceInfo> interfaces;
    std::map<std::pair<std::string, int>, std::set<IpAddress>> socket_groups;
  };

  struct Child {
    explicit Child(const char* n) : name(n) {}
    const char* name;
    pid_t pid = 0;
    std::optional<IpcChannel> channel;
    TimePoint started;
    RestartPolicy restarts;
    std::optional<TimePoint> restart_at;
  };

  absl::Status ResolveUsers();
  static absl::Status CheckScriptSecurity(const config::Config& config);
  absl::StatusOr<Network> ResolveNetwork(const config::Config& config) const;
  // Fills `setup`'s socket list for `network`, opening what `previous` (the
  // brain's current sockets) cannot give.
  absl::Status AddBrainSockets(const Network& network, const Network* previous,
                               ipc::BrainSetup* setup,
                               std::vector<UniqueFd>* fds) const;
  void TrackLinks();
  void OnLinksReadable();
  void SendLinkState(const std::string& interface, bool up);
  // SIGHUP or vigilctl: the error lists every problem, one per line.
  absl::Status Reload(const char* trigger);
  void ReloadForBrain();
  void OnSummary(const ipc::Summary& summary);
  void RequestDump(DumpKind kind);
  void WriteDumps(const ipc::Dump& dump);
  absl::Status ApplyConfig(config::Config next);
  void RemoveDroppedVips(const config::VrrpInstance& before,
                         const config::VrrpInstance& after);
  config::Config FullConfig() const;   // config_ with its instances
  config::Config BrainConfig() const;  // config_ without what only messages use
  ipc::CheckerSetup CheckerConfig() const;
  void RemoveAllVips(const char* why);
  void InitTrackFiles();
  absl::Status CreateVmacs();
  static absl::Status CheckVmacsUnchanged(const config::Config& before,
                                          const config::Config& next);
  void DeleteVmacs();
  absl::Status InstallAcceptFilter();
  void RemoveAcceptFilter();
  void StopIfChildrenGone();
  // Children and their supervision (agent_children.cc).
  absl::Status SpawnChildren();
  std::vector<std::string> ChildArgs(const UserIds& user) const;
  absl::Status StartProcess(Child& child, const std::string& path,
                            const std::vector<std::string>& args,
                            UniqueFd peer);
  absl::Status SpawnBrain(UniqueFd peer,
                          const std::vector<std::string>& resume);
  absl::Status SpawnChecker(UniqueFd peer);
  void OnChildCrash(Child& child, int status);
  void AwaitResume(TimePoint now);
  void WithdrawUnresumed();
  void RestartDueChildren();
  absl::Status RestartChild(Child& child);
  void KillLateChildren();
  void OnBrainReadable();
  // A takeover's address changes and announcements leave the heap
  // fragmented (netlink batches, log lines): after many, its free pages go
  // back to the kernel (after a takeover of 1,000 instances, 0.36 MB of the
  // 2.3 MB heap was free pages).
  void TrimAfterBurst();
  void Apply(const ipc::BrainToAgent& request);
  absl::Status SetActive(const config::VrrpInstance& instance, bool active);
  std::vector<AddressBatch::Address> VipAddresses(
      const config::VrrpInstance& instance) const;
  absl::Status SetAddresses(const config::VrrpInstance& instance, bool active);
  absl::Status SetRoutes(const config::VrrpInstance& instance, bool present);
  void SendDueAnnouncements();
  void LogBurst(const config::VrrpInstance& instance, int count);
  void RenewLeases();
  std::vector<AddressBatch::Address> ActiveLeases();
  void PlaceOnCpus();
  void OnChildExit();
  void OnLauncherExit(int status);
  void BeginShutdown(const char* why, int exit_code);
  void OnTimer();
  void RearmTimer();

  EventLoop* loop_;
  Clock* clock_;
  Options options_;
  config::Config config_;      // without its instances: instances_ has them
  PackedInstances instances_;  // before policy_, which reads them
  RequestPolicy policy_;
  UserIds brain_user_;
  UserIds checker_user_;
  CpuPlan cpus_;  // as planned at start; restarted children get the same
  std::optional<AddressBatch> addresses_;
  std::optional<Announcer> announcer_;
  std::optional<AcceptFilter> accept_filter_;
  std::optional<RouteManager> routes_;
  std::optional<RouteSocket> vmac_socket_;
  std::optional<LinkMonitor> links_;
  std::map<std::string, bool> link_up_;  // tracked interfaces, last state
  Network network_;
  AnnouncementSchedule announcements_;
  std::optional<Launcher> launcher_;
  Child brain_{"vigil-vrrp"};
  Child checker_{"vigil-checker"};
  UniqueFd notify_fifo_;       // for every checker we start
  UniqueFd control_listener_;  // for every brain we start
  gid_t control_gid_ = 0;
  UniqueFd metrics_listener_;  // metrics_listen, likewise
  std::optional<TimePoint> last_brain_reload_;
  std::optional<TimePoint> brain_reload_due_;  // a deferred vigilctl reload
  SystemdNotifier systemd_;
  bool ready_ = false;                // READY=1 sent
  std::set<DumpKind> pending_dumps_;  // signalled, waiting for the brain
  // After a brain crash: instances still master here that the new brain has
  // not yet claimed, and when their VIPs go if it does not.
  InstanceSet unresumed_{instances_};
  std::optional<TimePoint> resume_deadline_;
  uint64_t refused_requests_ = 0;
  size_t changes_since_trim_ = 0;  // VIP changes and announcements
  static constexpr size_t kBurstChanges = 32;
  bool stopping_ = false;
  std::optional<TimePoint> kill_deadline_;
  InstanceSet active_{instances_};  // instances whose VIPs are set
  // Their VIPs, as renewed; reset when active_, the config or the
  // interfaces change.
  std::optional<std::vector<AddressBatch::Address>> leases_;
  std::optional<TimePoint> next_renewal_;
  int exit_code_ = 0;
};

// Config warnings and errors to the log, each with its file:line.
void LogDiagnostics(const conf::Diagnostics& diagnostics);

}  // namespace vigil::agent
