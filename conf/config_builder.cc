#include "conf/config_builder.h"

#include <arpa/inet.h>

#include <functional>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/instance_family.h"
#include "common/ip_address.h"
#include "common/managed_addresses.h"
#include "conf/keywords.h"
#include "conf/values.h"

namespace vigil::conf {
namespace {

using config::Config;
using config::VrrpInstance;
using config::VrrpScript;

constexpr int64_t kSecond = 1'000'000;
// The lowest real-time priority: above every normal process, below any
// real-time task the administrator has placed (PTP, interrupt threads).
constexpr uint32_t kDefaultRealtimePriority = 1;
// A second of CPU without sleeping is no VRRP work: a start or reload of
// thousands of instances takes tens of milliseconds.
constexpr uint32_t kDefaultRealtimeBurstUs = 1'000'000;
constexpr int kMaxCpus = 1024;                     // glibc's CPU_SETSIZE
const std::string kGroup4("\xe0\x00\x00\x12", 4);  // 224.0.0.18
const std::string kGroup6("\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x12",
                          16);  // ff02::12

// Instance fields whose final value depends on the version, known only at the
// end of the block.
struct PendingInstance {
  VrrpInstance* proto = nullptr;
  Location location;
  int64_t advert_int_us = kSecond;
  Location advert_int_location;
  bool version_set = false;
  bool interval_set = false;
  bool saw_state = false;
  bool saw_vrid = false;      // a valid virtual_router_id
  bool vrid_keyword = false;  // the keyword, valid or not
  // Where each address came from, for messages about it.
  std::vector<Location> vip_locations;       // parallel to proto->vips
  std::vector<Location> excluded_locations;  // parallel to excluded_vips
  std::vector<Location> peer_locations;      // parallel to proto->unicast_peers
  std::optional<Location> source_location;
  std::optional<Location> group_location;
  Location version_location;
  bool checksum_set = false;
  bool accept_set = false;
  std::optional<bool> strict;      // strict_mode; unset: vrrp_strict
  std::set<std::string> set_here;  // keywords with a global default
};

// keepalived instance keywords that take a { block } vigil does not support:
// skipped whole with one warning.
const std::set<std::string> kBlockKeywordsNotSupported = {
    "virtual_rules", "track_process", "track_bfd", "track_group"};

class Builder {
 public:
  explicit Builder(Diagnostics& diagnostics) : diag_(diagnostics) {}

  Config Build(const std::vector<Node>& tree) {
    auto* global = config_.mutable_global();
    global->set_vrrp_version(2);
    // keepalived's defaults: 5 GARPs at once and 5 more after 5 s.
    global->set_garp_master_delay_ms(5000);
    global->set_garp_master_repeat(5);
    global->set_garp_master_refresh_repeat(1);
    // Gone before a backup with default timers (1 s adverts) takes over.
    global->set_vip_lifetime_s(2);
    // Unlike keepalived, real-time by default: takeovers on time on a busy
    // machine (vigil.conf(5), "Scheduling").
    global->set_vrrp_rt_priority(kDefaultRealtimePriority);
    global->set_vrrp_rlimit_rttime_us(kDefaultRealtimeBurstUs);
    for (const Node& node : tree) TopLevel(node);
    for (PendingInstance& pending : instances_) FinishInstance(pending);
    LimitVipLeases();
    CheckCrossReferences();
    for (PendingGroup& group : groups_) ResolveSyncGroup(group);
    return std::move(config_);
  }

 private:
  // ---- helpers --------------------------------------------------------------

  bool WantArgs(const Node& node, size_t min, size_t max) {
    if (node.args.size() < min) {
      diag_.Error(node.keyword.location,
                  absl::StrCat("'", node.keyword.text, "' needs a value"));
      return false;
    }
    if (node.args.size() > max) {
      diag_.Error(node.args[max].location,
                  absl::StrCat("unexpected extra value '", node.args[max].text,
                               "' after '", node.keyword.text, "'"));
      return false;
    }
    return true;
  }

  std::optional<int64_t> IntegerIn(const Node& node, int64_t lo, int64_t hi) {
    if (!WantArgs(node, 1, 1)) return std::nullopt;
    std::optional<int64_t> value = ParseInteger(node.args[0].text);
    if (!value || *value < lo || *value > hi) {
      diag_.Error(
          node.args[0].location,
          absl::StrCat("'", node.keyword.text, "' must be an integer from ", lo,
                       " to ", hi, ", not '", node.args[0].text, "'"));
      return std::nullopt;
    }
    return value;
  }

  std::optional<int64_t> SecondsIn(const Node& node, int64_t lo_us,
                                   int64_t hi_us) {
    if (!WantArgs(node, 1, 1)) return std::nullopt;
    std::optional<int64_t> value = ParseSeconds(node.args[0].text);
    if (!value || *value < lo_us || *value > hi_us) {
      diag_.Error(node.args[0].location,
                  absl::StrCat("'", node.keyword.text,
                               "' must be a time in seconds from ",
                               static_cast<double>(lo_us) / kSecond, " to ",
                               static_cast<double>(hi_us) / kSecond, ", not '",
                               node.args[0].text, "'"));
      return std::nullopt;
    }
    return value;
  }

  // keepalived's CPU lists: CPU numbers separated by blanks.
  std::vector<int> CpuList(const Node& node) {
    if (!WantArgs(node, 1, kMaxCpus)) return {};
    std::vector<int> cpus;
    for (const Token& arg : node.args) {
      std::optional<int64_t> cpu = ParseInteger(arg.text);
      if (!cpu || *cpu < 0 || *cpu >= kMaxCpus) {
        diag_.Error(arg.location,
                    absl::StrCat("'", node.keyword.text,
                                 "' takes CPU numbers from 0 to ", kMaxCpus - 1,
                                 ", not '", arg.text, "'"));
        return {};
      }
      cpus.push_back(static_cast<int>(*cpu));
    }
    return cpus;
  }

  bool Flag(const Node& node) {
    if (node.args.empty()) return true;
    if (!WantArgs(node, 1, 1)) return true;
    std::optional<bool> value = ParseBool(node.args[0].text);
    if (!value) {
      diag_.Error(node.args[0].location,
                  absl::StrCat("'", node.keyword.text,
                               "' takes on/off/true/false/yes/no"));
      return true;
    }
    return *value;
  }

  void NoBlock(const Node& node) {
    if (node.has_block) {
      diag_.Error(
          node.keyword.location,
          absl::StrCat("'", node.keyword.text, "' does not take a { block }"));
    }
  }

  // A keyword vigil does not handle: keepalived's own are a warning (the
  // config still means something to keepalived); anything else is an error,
  // with the closest keyword when one is close.
  void Unsupported(const Node& node, absl::string_view where, Block block) {
    const std::string& kw = node.keyword.text;
    if (KeepalivedKeywords(block).count(kw)) {
      diag_.Warning(
          node.keyword.location,
          absl::StrCat("'", kw, "' in ", where,
                       " is not supported by this version of vigil; ignored"));
      return;
    }
    std::string message = absl::StrCat("unknown keyword '", kw, "' in ", where);
    if (std::optional<std::string> near = SuggestKeyword(kw, block)) {
      absl::StrAppend(&message, "; did you mean '", *near, "'?");
    }
    diag_.Error(node.keyword.location, message);
  }

  // keepalived splits a quoted command on blanks; an unquoted one is a word.
  static void AppendWords(
      const Token& arg, google::protobuf::RepeatedPtrField<std::string>* argv) {
    if (!arg.quoted) {
      argv->Add(std::string(arg.text));
      return;
    }
    for (std::string& word : SplitCommand(arg.text)) argv->Add(std::move(word));
  }

  // notify_master and friends: SCRIPT [USER[:GROUP]].
  void NotifyScript(const Node& node, config::NotifyScripts* notify,
                    absl::string_view where, Block block) {
    const std::string& kw = node.keyword.text;
    google::protobuf::RepeatedPtrField<std::string>* argv =
        kw == "notify_master"   ? notify->mutable_master()
        : kw == "notify_backup" ? notify->mutable_backup()
        : kw == "notify_fault"  ? notify->mutable_fault()
        : kw == "notify_stop"   ? notify->mutable_stop()
        : kw == "notify"        ? notify->mutable_any()
                                : nullptr;
    if (argv == nullptr) return Unsupported(node, where, block);
    NoBlock(node);
    if (!WantArgs(node, 1, 2)) return;
    argv->Clear();
    AppendWords(node.args[0], argv);
    if (argv->empty()) {
      diag_.Error(node.args[0].location,
                  absl::StrCat("'", kw, "' needs a command"));
    }
    if (node.args.size() == 2) PerScriptUserWarning(node.args[1]);
  }

  void PerScriptUserWarning(const Token& user) {
    diag_.Warning(user.location,
                  "a per-script user is not supported; notify scripts run as "
                  "script_user");
  }

  // notify_fifo PATH [USER [GROUP]]; vrrp_notify_fifo is the same FIFO here,
  // since vigil has only VRRP events to write.
  void NotifyFifo(const Node& node, config::GlobalDefs* global) {
    if (!WantArgs(node, 1, 3)) return;
    if (!global->notify_fifo().empty() &&
        global->notify_fifo() != node.args[0].text) {
      diag_.Warning(
          node.keyword.location,
          absl::StrCat("a second notify FIFO; vigil writes one, ",
                       node.args[0].text, " replaces ", global->notify_fifo()));
    }
    if (node.args[0].text.empty() || node.args[0].text[0] != '/') {
      diag_.Error(node.args[0].location,
                  "the notify FIFO needs an absolute path");
      return;
    }
    global->set_notify_fifo(node.args[0].text);
    if (node.args.size() > 1) {
      diag_.Warning(node.args[1].location,
                    "a FIFO owner is not supported; the FIFO belongs to the "
                    "script user");
    }
  }

  // ---- top level ------------------------------------------------------------

  void TopLevel(const Node& node) {
    const std::string& kw = node.keyword.text;
    if (kw == "global_defs") {
      GlobalDefs(node);
    } else if (kw == "vrrp_script") {
      Script(node);
    } else if (kw == "track_file" || kw == "vrrp_track_file") {
      TrackFileDefinition(node);
    } else if (kw == "vrrp_instance") {
      Instance(node);
    } else if (kw == "vrrp_sync_group") {
      SyncGroup(node);
    } else if (KeepalivedKeywords(Block::kTop).count(kw)) {
      diag_.Warning(node.keyword.location,
                    absl::StrCat("block '", kw,
                                 "' is not supported by this version of vigil; "
                                 "skipped"));
    } else {
      std::string message = absl::StrCat("unknown keyword '", kw, "'");
      if (std::optional<std::string> near = SuggestKeyword(kw, Block::kTop)) {
        absl::StrAppend(&message, "; did you mean '", *near, "'?");
      }
      diag_.Error(node.keyword.location, message);
    }
  }

  void GlobalDefs(const Node& block) {
    auto* global = config_.mutable_global();
    for (const Node& node : block.children) {
      const std::string& kw = node.keyword.text;
      if (kw == "router_id") {
        if (WantArgs(node, 1, 1)) global->set_router_id(node.args[0].text);
      } else if (kw == "vrrp_version") {
        if (auto v = IntegerIn(node, 2, 3))
          global->set_vrrp_version(static_cast<uint32_t>(*v));
      } else if (kw == "script_user") {
        if (WantArgs(node, 1, 2)) {
          global->set_script_user(node.args[0].text);
          if (node.args.size() == 2) {
            diag_.Warning(node.args[1].location,
                          "a script group is not supported yet; the user's own "
                          "group is used");
          }
        }
      } else if (kw == "enable_script_security") {
        global->set_enable_script_security(Flag(node));
      } else if (kw == "v3_checksum_as_v2") {
        global->set_v3_checksum_as_v2(Flag(node));
      } else if (kw == "notify_fifo" || kw == "vrrp_notify_fifo") {
        NotifyFifo(node, global);
      } else if (kw == "notify_fifo_script" ||
                 kw == "vrrp_notify_fifo_script") {
        if (WantArgs(node, 1, 2)) {
          global->clear_notify_fifo_script();
          AppendWords(node.args[0], global->mutable_notify_fifo_script());
          if (node.args.size() == 2) PerScriptUserWarning(node.args[1]);
        }
      } else if (kw == "vip_lifetime") {
        // vigil's own keyword; 0 keeps VIPs until removed, as keepalived does.
        if (auto v = IntegerIn(node, 0, 86400)) {
          global->set_vip_lifetime_s(static_cast<uint32_t>(*v));
          vip_lifetime_at_ = node.keyword.location;
        }
      } else if (kw == "metrics_listen") {
        MetricsListen(node, global);
      } else if (kw == "vrrp_skip_check_adv_addr") {
        global->set_skip_check_adv_addr(Flag(node));
      } else if (kw == "vrrp_startup_delay") {
        if (auto us = SecondsIn(node, 0, 3600 * kSecond))
          global->set_startup_delay_ms(static_cast<uint32_t>(*us / 1000));
      } else if (kw == "vrrp_strict") {
        global->set_strict(Flag(node));
      } else if (kw == "vrrp_rt_priority") {
        // 0 (normal scheduling) is vigil's own; keepalived takes 1 to 99.
        if (auto v = IntegerIn(node, 0, 99))
          global->set_vrrp_rt_priority(static_cast<uint32_t>(*v));
      } else if (kw == "vrrp_priority") {
        if (auto v = IntegerIn(node, -20, 19))
          global->set_vrrp_nice(static_cast<int32_t>(*v));
      } else if (kw == "vrrp_rlimit_rttime" || kw == "vrrp_rlimit_rtime") {
        // Microseconds, as keepalived's; at least one scheduler tick.
        if (auto v = IntegerIn(node, 10'000, 60'000'000))
          global->set_vrrp_rlimit_rttime_us(static_cast<uint32_t>(*v));
      } else if (kw == "vrrp_cpu_affinity") {
        for (int cpu : CpuList(node)) global->add_vrrp_cpus(cpu);
      } else if (kw == "checker_cpu_affinity") {
        for (int cpu : CpuList(node)) global->add_checker_cpus(cpu);
      } else if (kw == "vrrp_no_cpu_affinity") {
        // vigil's own: see GlobalDefs.vrrp_no_cpu_affinity.
        global->set_vrrp_no_cpu_affinity(Flag(node));
      } else if (kw == "vrrp_rfc_preempt") {
        // vigil's own keyword: see GlobalDefs.rfc_preempt.
        global->set_rfc_preempt(Flag(node));
      } else if (kw == "vrrp_mcast_group4" || kw == "vrrp_mcast_group6") {
        if (std::optional<std::string> group =
                MulticastGroup(node, kw == "vrrp_mcast_group6")) {
          kw == "vrrp_mcast_group4" ? global->set_mcast_group4(*group)
                                    : global->set_mcast_group6(*group);
        }
      } else if (kw == "vrrp_garp_master_delay") {
        if (auto us = SecondsIn(node, 0, 255 * kSecond))
          global->set_garp_master_delay_ms(static_cast<uint32_t>(*us / 1000));
      } else if (kw == "vrrp_garp_master_repeat") {
        if (auto v = IntegerIn(node, 1, 255))
          global->set_garp_master_repeat(static_cast<uint32_t>(*v));
      } else if (kw == "vrrp_garp_master_refresh") {
        if (auto us = SecondsIn(node, 0, 86400 * kSecond))
          global->set_garp_master_refresh_ms(static_cast<uint32_t>(*us / 1000));
      } else if (kw == "vrrp_garp_master_refresh_repeat") {
        if (auto v = IntegerIn(node, 1, 255))
          global->set_garp_master_refresh_repeat(static_cast<uint32_t>(*v));
      } else if (kw == "vrrp_garp_interval") {
        if (auto us = SecondsIn(node, 0, kSecond))
          global->set_garp_interval_us(static_cast<uint32_t>(*us));
      } else if (kw == "vrrp_gna_interval") {
        if (auto us = SecondsIn(node, 0, kSecond))
          global->set_gna_interval_us(static_cast<uint32_t>(*us));
      } else {
        Unsupported(node, "global_defs", Block::kGlobalDefs);
      }
    }
  }

  // ---- vrrp_script
  // ------------------------------------------------------------

  void Script(const Node& block) {
    if (!WantArgs(block, 1, 1)) return;
    VrrpScript* script = config_.add_scripts();
    script->set_name(block.args[0].text);
    script->set_location(block.keyword.location.ToString());
    script->set_interval_ms(1000);
    script->set_rise(1);
    script->set_fall(1);
    bool timeout_set = false;
    script_locations_[script->name()] = block.keyword.location;
    for (const Node& node : block.children) {
      NoBlock(node);
      const std::string& kw = node.keyword.text;
      if (kw == "script") {
        if (!WantArgs(node, 1, 64)) continue;
        script->clear_argv();
        for (const Token& arg : node.args)
          AppendWords(arg, script->mutable_argv());
      } else if (kw == "interval") {
        if (auto us = SecondsIn(node, 1000, 3600 * kSecond))
          script->set_interval_ms(static_cast<uint32_t>(*us / 1000));
      } else if (kw == "timeout") {
        if (auto us = SecondsIn(node, 1000, 3600 * kSecond)) {
          script->set_timeout_ms(static_cast<uint32_t>(*us / 1000));
          timeout_set = true;
        }
      } else if (kw == "weight") {
        ScriptWeight(node, script);
      } else if (kw == "rise") {
        if (auto v = IntegerIn(node, 1, 1000))
          script->set_rise(static_cast<uint32_t>(*v));
      } else if (kw == "fall") {
        if (auto v = IntegerIn(node, 1, 1000))
          script->set_fall(static_cast<uint32_t>(*v));
      } else if (kw == "init_fail") {
        script->set_init_fail(Flag(node));
      } else {
        Unsupported(node, "vrrp_script", Block::kVrrpScript);
      }
    }
    if (script->argv().empty()) {
      diag_.Error(block.keyword.location,
                  absl::StrCat("vrrp_script ", script->name(),
                               " has no 'script' command"));
    }
    // keepalived's default: the timeout is the interval.
    if (!timeout_set) script->set_timeout_ms(script->interval_ms());
  }

  void ScriptWeight(const Node& node, VrrpScript* script) {
    if (!WantArgs(node, 1, 2)) return;
    std::optional<int64_t> weight = ParseInteger(node.args[0].text);
    if (!weight || *weight < -253 || *weight > 253) {
      diag_.Error(
          node.args[0].location,
          absl::StrCat("'weight' must be an integer from -253 to 253, not '",
                       node.args[0].text, "'"));
      return;
    }
    if (node.args.size() == 2) {
      if (node.args[1].text == "reverse") {
        diag_.Warning(node.args[1].location,
                      "'reverse' weights are not supported yet; ignored");
      } else {
        diag_.Error(node.args[1].location,
                    absl::StrCat("expected 'reverse' after the weight, not '",
                                 node.args[1].text, "'"));
      }
    }
    script->set_weight(static_cast<int32_t>(*weight));
  }

  // ---- vrrp_instance --------------------------------------------------------

  void Instance(const Node& block) {
    if (!WantArgs(block, 1, 1)) return;
    VrrpInstance* instance = config_.add_instances();
    instance->set_name(block.args[0].text);
    instance->set_location(block.keyword.location.ToString());
    instance->set_priority(100);
    instance->set_unicast_ttl(255);
    PendingInstance pending;
    pending.proto = instance;
    pending.location = block.keyword.location;
    for (const Node& node : block.children) InstanceKeyword(node, pending);
    instances_.push_back(pending);
  }

  void InstanceKeyword(const Node& node, PendingInstance& pending) {
    VrrpInstance* instance = pending.proto;
    const std::string& kw = node.keyword.text;
    if (kw == "virtual_ipaddress" || kw == "virtual_ipaddress_excluded") {
      VirtualAddresses(node, pending, kw == "virtual_ipaddress_excluded");
      return;
    }
    if (kw == "authentication") {
      Authentication(node, instance);
      return;
    }
    if (kw == "track_interface") {
      TrackInterfaces(node, instance);
      return;
    }
    if (kw == "track_script") {
      TrackScripts(node, instance);
      return;
    }
    if (kw == "track_file") {
      TrackFiles(node, instance);
      return;
    }
    if (kw == "auth_hmac") {
      // Ignoring it would accept unauthenticated adverts the user meant to
      // refuse: an error, not a warning.
      diag_.Error(node.keyword.location,
                  "auth_hmac (keepalived 2.4) is not supported by this version "
                  "of vigil; it would run without the authentication you "
                  "configured, so it does not run at all");
      return;
    }
    if (kw == "virtual_routes") {
      for (const Node& entry : node.children) VirtualRoute(entry, instance);
      return;
    }
    if (kw == "unicast_peer") {
      UnicastPeers(node, pending);
      return;
    }
    if (node.has_block && !KeepalivedKeywords(Block::kVrrpInstance).count(kw)) {
      return Unsupported(node, "vrrp_instance", Block::kVrrpInstance);
    }
    if (node.has_block && kBlockKeywordsNotSupported.count(kw)) {
      return Unsupported(node, "vrrp_instance", Block::kVrrpInstance);
    }
    NoBlock(node);
    if (kw == "state") {
      if (!WantArgs(node, 1, 1)) return;
      pending.saw_state = true;
      if (node.args[0].text == "MASTER") {
        instance->set_initial_state(VrrpInstance::INITIAL_MASTER);
      } else if (node.args[0].text == "BACKUP") {
        instance->set_initial_state(VrrpInstance::INITIAL_BACKUP);
      } else {
        diag_.Error(node.args[0].location,
                    absl::StrCat("'state' must be MASTER or BACKUP, not '",
                                 node.args[0].text, "'"));
      }
    } else if (kw == "interface") {
      if (WantArgs(node, 1, 1)) instance->set_interface(node.args[0].text);
    } else if (kw == "virtual_router_id") {
      pending.vrid_keyword = true;
      if (auto v = IntegerIn(node, 1, 255)) {
        instance->set_vrid(static_cast<uint32_t>(*v));
        pending.saw_vrid = true;
      }
    } else if (kw == "priority") {
      if (auto v = IntegerIn(node, 1, 255))
        instance->set_priority(static_cast<uint32_t>(*v));
    } else if (kw == "advert_int") {
      if (auto us = SecondsIn(node, 10'000, 255 * kSecond)) {
        pending.advert_int_us = *us;
        pending.interval_set = true;
        pending.advert_int_location = node.args[0].location;
      }
    } else if (kw == "version") {
      if (auto v = IntegerIn(node, 2, 3)) {
        instance->set_version(static_cast<uint32_t>(*v));
        pending.version_set = true;
        pending.version_location = node.args[0].location;
      }
    } else if (kw == "v3_checksum_as_v2") {
      instance->set_v3_checksum_as_v2(Flag(node));
      pending.checksum_set = true;
    } else if (kw == "accept" || kw == "no_accept") {
      instance->set_no_accept((kw == "no_accept") == Flag(node));
      pending.accept_set = true;
    } else if (absl::StartsWith(kw, "notify")) {
      NotifyScript(node, instance->mutable_notify(), "vrrp_instance",
                   Block::kVrrpInstance);
    } else if (kw == "skip_check_adv_addr") {
      instance->set_skip_check_adv_addr(Flag(node));
      pending.set_here.insert(kw);
    } else if (kw == "use_vmac") {
      instance->set_use_vmac(true);
      UseVmac(node, instance);
    } else if (kw == "vmac_xmit_base") {
      instance->set_vmac_xmit_base(Flag(node));
    } else if (kw == "strict_mode") {
      pending.strict = Flag(node);
    } else if (kw == "preempt_delay") {
      if (auto us = SecondsIn(node, 0, 1000 * kSecond))
        instance->set_preempt_delay_ms(static_cast<uint32_t>(*us / 1000));
    } else if (kw == "nopreempt") {
      instance->set_nopreempt(Flag(node));
    } else if (kw == "preempt") {
      instance->set_nopreempt(!Flag(node));
    } else if (kw == "garp_master_repeat" ||
               kw == "garp_master_refresh_repeat") {
      if (auto v = IntegerIn(node, 1, 255)) {
        if (kw == "garp_master_repeat") {
          instance->set_garp_master_repeat(static_cast<uint32_t>(*v));
        } else {
          instance->set_garp_master_refresh_repeat(static_cast<uint32_t>(*v));
        }
        pending.set_here.insert(kw);
      }
    } else if (kw == "mcast_src_ip" || kw == "unicast_src_ip") {
      if (!WantArgs(node, 1, 1)) return;
      if (std::optional<std::string> address = AddressBytes(node.args[0])) {
        instance->set_source_address(*address);
        pending.source_location = node.args[0].location;
      }
    } else if (kw == "mcast_dst_ip") {
      if (!WantArgs(node, 1, 1)) return;
      std::optional<IpAddress> group = IpAddress::Parse(node.args[0].text);
      if (std::optional<std::string> checked =
              MulticastGroup(node, group.has_value() && group->is_v6())) {
        instance->set_multicast_group(*checked);
        pending.group_location = node.args[0].location;
      }
    } else if (kw == "unicast_ttl") {
      if (auto v = IntegerIn(node, 1, 255))
        instance->set_unicast_ttl(static_cast<uint32_t>(*v));
    } else if (kw == "check_unicast_src") {
      instance->set_check_unicast_src(Flag(node));
    } else if (kw == "garp_master_delay" || kw == "garp_master_refresh") {
      if (auto us = SecondsIn(node, 0, 86400 * kSecond)) {
        uint32_t ms = static_cast<uint32_t>(*us / 1000);
        if (kw == "garp_master_delay") {
          instance->set_garp_master_delay_ms(ms);
        } else {
          instance->set_garp_master_refresh_ms(ms);
        }
        pending.set_here.insert(kw);
      }
    } else {
      Unsupported(node, "vrrp_instance", Block::kVrrpInstance);
    }
  }

  void VirtualAddresses(const Node& block, PendingInstance& pending,
                        bool excluded) {
    for (const Node& entry : block.children) {
      const std::string& text = entry.keyword.text;
      config::VirtualAddress vip;
      vip.set_text(text);
      std::string address = text;
      int max_prefix = 32;
      size_t slash = text.find('/');
      if (slash != std::string::npos) address = text.substr(0, slash);
      unsigned char raw[16];
      if (inet_pton(AF_INET, address.c_str(), raw) == 1) {
        vip.set_address(std::string(reinterpret_cast<char*>(raw), 4));
      } else if (inet_pton(AF_INET6, address.c_str(), raw) == 1) {
        vip.set_address(std::string(reinterpret_cast<char*>(raw), 16));
        max_prefix = 128;
      } else {
        diag_.Error(
            entry.keyword.location,
            absl::StrCat("'", text, "' is not an IPv4 or IPv6 address"));
        continue;
      }
      vip.set_prefix_len(static_cast<uint32_t>(max_prefix));
      if (slash != std::string::npos) {
        std::optional<int64_t> len =
            ParseInteger(absl::string_view(text).substr(slash + 1));
        if (!len || *len < 0 || *len > max_prefix) {
          diag_.Error(entry.keyword.location,
                      absl::StrCat("bad prefix length in '", text, "'"));
          continue;
        }
        vip.set_prefix_len(static_cast<uint32_t>(*len));
      }
      VirtualAddressOptions(entry, vip);
      if (excluded) {
        *pending.proto->add_excluded_vips() = std::move(vip);
        pending.excluded_locations.push_back(entry.keyword.location);
      } else {
        *pending.proto->add_vips() = std::move(vip);
        pending.vip_locations.push_back(entry.keyword.location);
      }
    }
  }

  void VirtualAddressOptions(const Node& entry, config::VirtualAddress& vip) {
    for (size_t i = 0; i < entry.args.size(); ++i) {
      const Token& option = entry.args[i];
      if (option.text == "dev" && i + 1 < entry.args.size()) {
        vip.set_dev(entry.args[++i].text);
      } else {
        diag_.Warning(option.location,
                      absl::StrCat("virtual_ipaddress option '", option.text,
                                   "' is not supported yet; ignored"));
        // Options with a value: skip the value too.
        static const std::set<std::string> kWithValue = {
            "brd", "scope", "label", "peer", "preferred_lft"};
        if (kWithValue.count(option.text) && i + 1 < entry.args.size()) ++i;
      }
    }
  }

  // metrics_listen ADDRESS PORT: loopback only, so the metrics (which name
  // instances and addresses) never reach the network.
  void MetricsListen(const Node& node, config::GlobalDefs* global) {
    if (!WantArgs(node, 2, 2)) return;
    std::optional<IpAddress> address = IpAddress::Parse(node.args[0].text);
    bool loopback = address && (address->is_v6() ? address->ToString() == "::1"
                                                 : address->data()[0] == 127);
    if (!loopback) {
      diag_.Error(node.args[0].location,
                  absl::StrCat("metrics_listen: '", node.args[0].text,
                               "' is not a loopback address (127.0.0.0/8 or "
                               "::1); the metrics are for this host only"));
      return;
    }
    std::optional<int64_t> port = ParseInteger(node.args[1].text);
    if (!port || *port < 1 || *port > 65535) {
      diag_.Error(node.args[1].location,
                  absl::StrCat("metrics_listen: port must be 1 to 65535, not '",
                               node.args[1].text, "'"));
      return;
    }
    global->set_metrics_address(std::string(address->bytes()));
    global->set_metrics_port(static_cast<uint32_t>(*port));
  }

  // A multicast group for adverts: IPv4 224.0.0.0/4, IPv6 link-scope ff02::/16.
  std::optional<std::string> MulticastGroup(const Node& node, bool ipv6) {
    if (!WantArgs(node, 1, 1)) return std::nullopt;
    std::optional<IpAddress> group = IpAddress::Parse(node.args[0].text);
    bool ok = group && group->is_v6() == ipv6 &&
              (ipv6 ? group->data()[0] == 0xff && group->data()[1] == 0x02
                    : (group->data()[0] & 0xf0) == 0xe0);
    if (!ok) {
      diag_.Error(
          node.args[0].location,
          absl::StrCat("'", node.args[0].text, "' is not ",
                       ipv6 ? "an IPv6 link-scope multicast group (ff02::/16)"
                            : "an IPv4 multicast group (224.0.0.0/4)"));
      return std::nullopt;
    }
    return std::string(group->bytes());
  }

  std::optional<std::string> AddressBytes(const Token& token) {
    std::optional<IpAddress> address = IpAddress::Parse(token.text);
    if (!address) {
      diag_.Error(
          token.location,
          absl::StrCat("'", token.text, "' is not an IPv4 or IPv6 address"));
      return std::nullopt;
    }
    return std::string(address->bytes());
  }

  // "A.B.C.D/LEN", an address (a host route) or "default".
  bool RoutePrefix(const Token& token, config::VirtualRoute* route) {
    std::string text = token.text;
    if (text == "default") text = "0.0.0.0/0";
    size_t slash = text.find('/');
    std::optional<IpAddress> address = IpAddress::Parse(text.substr(0, slash));
    int64_t length = address ? static_cast<int64_t>(address->size()) * 8 : 0;
    if (address && slash != std::string::npos) {
      std::optional<int64_t> parsed = ParseInteger(text.substr(slash + 1));
      length = parsed && *parsed >= 0 && *parsed <= length ? *parsed : -1;
    }
    if (!address || length < 0) {
      diag_.Error(token.location, absl::StrCat("'", token.text,
                                               "' is not a route destination"));
      return false;
    }
    route->set_destination(std::string(address->bytes()));
    route->set_prefix_len(static_cast<uint32_t>(length));
    return true;
  }

  // One virtual_routes line, ip-route style: [TYPE] [to] PREFIX [via GW]
  // [dev IF] [src ADDR] [metric N] [table N]; other options are warned about.
  void VirtualRoute(const Node& entry, VrrpInstance* instance) {
    NoBlock(entry);
    std::vector<const Token*> words = {&entry.keyword};
    for (const Token& arg : entry.args) words.push_back(&arg);
    config::VirtualRoute route;
    route.set_text(entry.keyword.text);
    for (const Token& arg : entry.args)
      absl::StrAppend(route.mutable_text(), " ", arg.text);
    static const std::map<std::string, config::VirtualRoute::Type> kTypes = {
        {"blackhole", config::VirtualRoute::BLACKHOLE},
        {"unreachable", config::VirtualRoute::UNREACHABLE},
        {"prohibit", config::VirtualRoute::PROHIBIT}};
    static const std::set<std::string> kValued = {
        "scope",    "proto",    "protocol", "mtu",     "advmss",
        "realm",    "realms",   "tos",      "dsfield", "expires",
        "initcwnd", "initrwnd", "rtt",      "rttvar",  "window",
        "hoplimit", "pref",     "features", "congctl", "quickack"};
    bool have_destination = false;
    for (size_t i = 0; i < words.size(); ++i) {
      const std::string& w = words[i]->text;
      const Token* value = i + 1 < words.size() ? words[i + 1] : nullptr;
      auto needs_value = [&]() {
        if (value == nullptr) {
          diag_.Error(words[i]->location,
                      absl::StrCat("route option '", w, "' needs a value"));
        }
        return value != nullptr;
      };
      if (kTypes.count(w)) {
        route.set_type(kTypes.at(w));
      } else if (w == "to") {
        if (needs_value()) have_destination = RoutePrefix(*value, &route);
        ++i;
      } else if (w == "via" || w == "gw") {
        if (needs_value()) {
          if (auto a = AddressBytes(*value)) route.set_gateway(*a);
        }
        ++i;
      } else if (w == "src") {
        if (needs_value()) {
          if (auto a = AddressBytes(*value)) route.set_source(*a);
        }
        ++i;
      } else if (w == "dev") {
        if (needs_value()) route.set_dev(value->text);
        ++i;
      } else if (w == "metric" || w == "preference" || w == "priority" ||
                 w == "table") {
        int64_t n = -1;  // missing or not a number
        if (value) n = ParseInteger(value->text).value_or(-1);
        if (n < 0 || n > 0xffffffffLL) {
          diag_.Error(words[i]->location,
                      absl::StrCat("route option '", w, "' needs a number"));
        } else if (w == "table") {
          route.set_table(static_cast<uint32_t>(n));
        } else {
          route.set_metric(static_cast<uint32_t>(n));
        }
        ++i;
      } else if (kValued.count(w) || w == "onlink" || w == "no_track") {
        diag_.Warning(words[i]->location,
                      absl::StrCat("route option '", w,
                                   "' is not supported yet; ignored"));
        if (kValued.count(w)) ++i;
      } else if (!have_destination) {
        have_destination = RoutePrefix(*words[i], &route);
      } else {
        diag_.Error(words[i]->location,
                    absl::StrCat("unexpected '", w, "' in a virtual route"));
      }
    }
    if (!have_destination) return;
    *instance->add_routes() = std::move(route);
  }

  // use_vmac [NAME]: vigil always uses the VRRP MAC and private mode.
  void UseVmac(const Node& node, VrrpInstance* instance) {
    if (node.args.empty()) return;
    const Token& name = node.args[0];
    if (name.text.size() >= 16 || name.text.find('/') != std::string::npos) {
      diag_.Error(name.location,
                  absl::StrCat("'", name.text, "' is not an interface name"));
      return;
    }
    instance->set_vmac_name(name.text);
    for (size_t i = 1; i < node.args.size(); ++i) {
      diag_.Warning(node.args[i].location,
                    absl::StrCat("use_vmac option '", node.args[i].text,
                                 "' is not supported; ignored"));
    }
  }

  void UnicastPeers(const Node& block, PendingInstance& pending) {
    for (const Node& entry : block.children) {
      if (std::optional<std::string> address = AddressBytes(entry.keyword)) {
        pending.proto->add_unicast_peers(*address);
        pending.peer_locations.push_back(entry.keyword.location);
      }
      if (!entry.args.empty()) {
        diag_.Warning(entry.args[0].location,
                      absl::StrCat("unicast_peer option '", entry.args[0].text,
                                   "' is not supported yet; ignored"));
      }
    }
  }

  void Authentication(const Node& block, VrrpInstance* instance) {
    for (const Node& node : block.children) {
      const std::string& kw = node.keyword.text;
      if (kw == "auth_type") {
        if (!WantArgs(node, 1, 1)) continue;
        if (node.args[0].text == "PASS") {
          instance->set_auth_type(VrrpInstance::AUTH_PASS);
        } else if (node.args[0].text == "AH") {
          diag_.Error(node.args[0].location,
                      "auth_type AH is not supported; use PASS or none");
        } else {
          diag_.Error(node.args[0].location,
                      absl::StrCat("auth_type must be PASS or AH, not '",
                                   node.args[0].text, "'"));
        }
      } else if (kw == "auth_pass") {
        if (!WantArgs(node, 1, 1)) continue;
        std::string pass = node.args[0].text;
        if (pass.size() > 8) {
          diag_.Warning(node.args[0].location,
                        "auth_pass is longer than 8 characters; only the first "
                        "8 are used, as "
                        "keepalived does");
          pass.resize(8);
        }
        instance->set_auth_pass(pass);
      } else {
        diag_.Error(node.keyword.location, absl::StrCat("unknown keyword '", kw,
                                                        "' in authentication"));
      }
    }
  }

  struct TrackerWeight {
    bool has_weight = false;
    int32_t weight = 0;
    bool reverse = false;
  };

  // A tracker entry's arguments: [weight W [reverse|noreverse]].
  std::optional<TrackerWeight> TrackerArgs(const Node& entry,
                                           absl::string_view what) {
    TrackerWeight result;
    if (entry.args.empty()) return result;
    if (entry.args[0].text != "weight" || entry.args.size() < 2) {
      diag_.Error(entry.args[0].location,
                  absl::StrCat("expected 'weight N' after ", what, " ",
                               entry.keyword.text));
      return std::nullopt;
    }
    std::optional<int64_t> weight = ParseInteger(entry.args[1].text);
    if (!weight || *weight < -253 || *weight > 253) {
      diag_.Error(entry.args[1].location,
                  absl::StrCat(what, " weight must be from -253 to 253"));
      return std::nullopt;
    }
    result.has_weight = true;
    result.weight = static_cast<int32_t>(*weight);
    if (entry.args.size() >= 3) {
      const Token& flag = entry.args[2];
      if (flag.text == "reverse" || flag.text == "noreverse") {
        result.reverse = flag.text == "reverse";
      } else {
        diag_.Error(flag.location,
                    absl::StrCat("expected 'reverse' or 'noreverse', not '",
                                 flag.text, "'"));
      }
      if (entry.args.size() > 3) {
        diag_.Error(
            entry.args[3].location,
            absl::StrCat("unexpected extra value '", entry.args[3].text, "'"));
      }
    }
    return result;
  }

  void TrackScripts(const Node& block, VrrpInstance* instance) {
    for (const Node& entry : block.children) {
      config::TrackScript* track = instance->add_track_scripts();
      track->set_name(entry.keyword.text);
      track_locations_.push_back(
          {instance, track->name(), entry.keyword.location});
      std::optional<TrackerWeight> w = TrackerArgs(entry, "track_script");
      if (!w) continue;
      track->set_has_weight(w->has_weight);
      track->set_weight(w->weight);
      track->set_reverse(w->reverse);
    }
  }

  void TrackFileDefinition(const Node& block) {
    if (!WantArgs(block, 1, 1)) return;
    config::VrrpTrackFile* file = config_.add_track_files();
    file->set_name(block.args[0].text);
    file->set_location(block.keyword.location.ToString());
    file->set_weight(1);
    for (const Node& node : block.children) {
      NoBlock(node);
      const std::string& kw = node.keyword.text;
      if (kw == "file") {
        if (WantArgs(node, 1, 1)) file->set_path(node.args[0].text);
      } else if (kw == "weight") {
        if (!WantArgs(node, 1, 2)) continue;
        std::optional<int64_t> w = ParseInteger(node.args[0].text);
        if (!w || *w < -254 || *w > 254) {
          diag_.Error(node.args[0].location,
                      "track_file weight must be from -254 to 254");
          continue;
        }
        file->set_weight(static_cast<int32_t>(*w));
        if (node.args.size() == 2) file->set_reverse(ReverseFlag(node.args[1]));
      } else if (kw == "init_file") {
        InitFile(node, file);
      } else {
        Unsupported(node, "track_file", Block::kTrackFile);
      }
    }
    if (file->path().empty()) {
      diag_.Error(block.keyword.location,
                  absl::StrCat("track_file ", file->name(), " has no 'file'"));
    }
    file_locations_[file->name()] = block.keyword.location;
  }

  // init_file [VALUE] [overwrite]
  void InitFile(const Node& node, config::VrrpTrackFile* file) {
    file->set_init(true);
    for (const Token& arg : node.args) {
      std::optional<int64_t> value = ParseInteger(arg.text);
      if (arg.text == "overwrite") {
        file->set_init_overwrite(true);
      } else if (value) {
        file->set_init_value(*value);
      } else {
        diag_.Error(arg.location, absl::StrCat("init_file takes a number and "
                                               "'overwrite', not '",
                                               arg.text, "'"));
      }
    }
  }

  bool ReverseFlag(const Token& flag) {
    if (flag.text != "reverse" && flag.text != "noreverse") {
      diag_.Error(flag.location,
                  absl::StrCat("expected 'reverse' or 'noreverse', not '",
                               flag.text, "'"));
    }
    return flag.text == "reverse";
  }

  void TrackFiles(const Node& block, VrrpInstance* instance) {
    for (const Node& entry : block.children) {
      std::optional<TrackerWeight> w = TrackerArgs(entry, "track_file");
      if (!w) continue;
      config::TrackFile* track = instance->add_track_files();
      track->set_name(entry.keyword.text);
      track->set_has_weight(w->has_weight);
      track->set_weight(w->weight);
      track->set_reverse(w->reverse);
      file_references_.push_back({track->name(), entry.keyword.location});
    }
  }

  void TrackInterfaces(const Node& block, VrrpInstance* instance) {
    for (const Node& entry : block.children) {
      std::optional<TrackerWeight> w = TrackerArgs(entry, "track_interface");
      if (!w) continue;
      config::TrackInterface* track = instance->add_track_interfaces();
      track->set_name(entry.keyword.text);
      track->set_weight(w->weight);
      track->set_reverse(w->reverse);
    }
  }

  // Renewing a lease is a kernel address change, and the kernel's cost of
  // one grows with the number of addresses (IPv6 walks them all on every
  // change): 10,000 IPv6 VIPs took 1.9 s of kernel time per renewal here,
  // four renewals a lifetime. Past kMaxLeasedVips the default is no lease.
  void LimitVipLeases() {
    constexpr int kMaxLeasedVips = 1000;
    int vips = 0;
    const Location* at = nullptr;
    for (const PendingInstance& pending : instances_) {
      vips += pending.proto->vips_size() + pending.proto->excluded_vips_size();
      if (vips > kMaxLeasedVips && at == nullptr) at = &pending.location;
    }
    if (vips <= kMaxLeasedVips || config_.global().vip_lifetime_s() == 0)
      return;
    if (vip_lifetime_at_) {
      diag_.Warning(*vip_lifetime_at_,
                    absl::StrCat("vip_lifetime with ", vips,
                                 " VIPs: every renewal changes each of them in "
                                 "the kernel, which costs time growing with "
                                 "their number (0 turns leases off)"));
      return;
    }
    config_.mutable_global()->set_vip_lifetime_s(0);
    diag_.Warning(*at, absl::StrCat(vips, " VIPs: more than ", kMaxLeasedVips,
                                    ", so they are permanent (no vip_lifetime "
                                    "lease; set vip_lifetime to have one)"));
  }

  void FinishInstance(PendingInstance& pending) {
    VrrpInstance* instance = pending.proto;
    const Location& at = pending.location;
    const std::string& name = instance->name();
    bool ipv6 = InstanceFamily(*instance) == AF_INET6;
    if (!pending.version_set) {
      // keepalived: IPv6 instances speak VRRPv3 whatever vrrp_version says.
      instance->set_version(ipv6 ? 3 : config_.global().vrrp_version());
    } else if (ipv6 && instance->version() == 2) {
      diag_.Error(pending.version_location,
                  absl::StrCat("vrrp_instance ", name,
                               ": VRRPv2 is IPv4 only; IPv6 needs version 3"));
    }
    if (!pending.checksum_set)
      instance->set_v3_checksum_as_v2(config_.global().v3_checksum_as_v2());
    InheritGarpDefaults(pending);
    ApplyStrictMode(pending);
    if (instance->use_vmac() && instance->vmac_name().empty()) {
      instance->set_vmac_name(
          absl::StrCat(ipv6 ? "vrrp6." : "vrrp.", instance->vrid()));
    }
    if (instance->multicast_group().empty() && !instance->vips().empty()) {
      const config::GlobalDefs& g = config_.global();
      instance->set_multicast_group(
          ipv6 ? (g.mcast_group6().empty() ? kGroup6 : g.mcast_group6())
               : (g.mcast_group4().empty() ? kGroup4 : g.mcast_group4()));
    }
    if (instance->version() == 2) {
      if (pending.advert_int_us % kSecond != 0) {
        diag_.Warning(
            pending.advert_int_location,
            "VRRPv2 advert_int is whole seconds; rounded as keepalived does");
      }
      int64_t seconds =
          std::max<int64_t>(1, (pending.advert_int_us + kSecond / 2) / kSecond);
      instance->set_advert_int_cs(static_cast<uint32_t>(seconds * 100));
    } else {
      if (pending.advert_int_us > 4095 * 10'000) {
        diag_.Error(pending.advert_int_location,
                    "VRRPv3 advert_int must be at most 40.95 s");
      }
      instance->set_advert_int_cs(static_cast<uint32_t>(
          std::max<int64_t>(1, pending.advert_int_us / 10'000)));
      if (instance->auth_type() != VrrpInstance::AUTH_NONE) {
        diag_.Warning(
            at, absl::StrCat(
                    "vrrp_instance ", name,
                    ": authentication is VRRPv2 only; ignored for version 3"));
        instance->set_auth_type(VrrpInstance::AUTH_NONE);
      }
    }
    if (instance->interface().empty()) {
      diag_.Error(at,
                  absl::StrCat("vrrp_instance ", name, " has no 'interface'"));
    }
    if (!pending.vrid_keyword) {
      diag_.Error(at, absl::StrCat("vrrp_instance ", name,
                                   " has no 'virtual_router_id'"));
    }
    if (instance->vips().empty()) {
      diag_.Error(at, absl::StrCat("vrrp_instance ", name,
                                   " has no virtual_ipaddress"));
    }
    CheckFamily(pending);
    if (instance->vips_size() > 255) {
      // The count field is 8 bits; keepalived leaves the rest out of adverts
      // too.
      diag_.Warning(
          at, absl::StrCat(
                  "vrrp_instance ", name, " has ", instance->vips_size(),
                  " virtual_ipaddress entries; adverts list the first 255"));
    }
    if (instance->auth_type() == VrrpInstance::AUTH_PASS &&
        instance->auth_pass().empty()) {
      diag_.Error(at, absl::StrCat("vrrp_instance ", name,
                                   ": auth_type PASS needs auth_pass"));
    }
    if (instance->nopreempt() &&
        instance->initial_state() == VrrpInstance::INITIAL_MASTER) {
      diag_.Warning(
          at, absl::StrCat(
                  "vrrp_instance ", name,
                  ": nopreempt with state MASTER; vigil honours nopreempt "
                  "anyway (keepalived would not), state BACKUP is clearer"));
    }
  }

  // keepalived's strict mode, the parts vigil enforces: Accept_Mode false
  // unless 'accept' says otherwise, and no unicast (RFC VRRP is multicast).
  void ApplyStrictMode(const PendingInstance& pending) {
    VrrpInstance* instance = pending.proto;
    bool strict = pending.strict.value_or(config_.global().strict());
    if (strict && !pending.accept_set) instance->set_no_accept(true);
    instance->set_rfc_preempt(strict || config_.global().rfc_preempt());
    if (instance->no_accept() && instance->priority() == 255) {
      diag_.Warning(pending.location,
                    absl::StrCat("vrrp_instance ", instance->name(),
                                 ": priority 255 owns its VIPs and always "
                                 "accepts traffic to them; no_accept ignored"));
      instance->set_no_accept(false);
    }
    if (strict && !instance->unicast_peers().empty()) {
      diag_.Error(pending.location,
                  absl::StrCat("vrrp_instance ", instance->name(),
                               ": unicast_peer is not allowed in strict mode "
                               "(vrrp_strict or strict_mode)"));
    }
  }

  // global_defs may come after the instances, so defaults apply at the end.
  void InheritGarpDefaults(PendingInstance& pending) {
    VrrpInstance* instance = pending.proto;
    const config::GlobalDefs& global = config_.global();
    auto unset = [&](const char* kw) { return !pending.set_here.count(kw); };
    if (unset("skip_check_adv_addr"))
      instance->set_skip_check_adv_addr(global.skip_check_adv_addr());
    instance->set_startup_delay_ms(global.startup_delay_ms());
    if (unset("garp_master_delay"))
      instance->set_garp_master_delay_ms(global.garp_master_delay_ms());
    if (unset("garp_master_repeat"))
      instance->set_garp_master_repeat(global.garp_master_repeat());
    if (unset("garp_master_refresh")) {
      instance->set_garp_master_refresh_ms(global.garp_master_refresh_ms());
    }
    if (unset("garp_master_refresh_repeat")) {
      instance->set_garp_master_refresh_repeat(
          global.garp_master_refresh_repeat());
    }
  }

  // One family per instance: the VIPs, the source and the peers.
  void CheckFamily(const PendingInstance& pending) {
    const VrrpInstance& instance = *pending.proto;
    if (instance.vips().empty()) return;
    size_t size = instance.vips(0).address().size();
    auto mismatch = [&](const std::optional<Location>& at,
                        const std::string& what) {
      diag_.Error(at.value_or(pending.location),
                  absl::StrCat("vrrp_instance ", instance.name(), ": ", what,
                               " is not IPv", size == 16 ? "6" : "4",
                               " like the first virtual_ipaddress"));
    };
    for (int i = 0; i < instance.vips_size(); ++i) {
      if (instance.vips(i).address().size() != size) {
        mismatch(pending.vip_locations[static_cast<size_t>(i)],
                 "virtual_ipaddress " + instance.vips(i).text());
      }
    }
    for (int i = 0; i < instance.unicast_peers_size(); ++i) {
      if (instance.unicast_peers(i).size() != size) {
        mismatch(
            pending.peer_locations[static_cast<size_t>(i)],
            "unicast_peer " +
                IpAddress::FromBytes(instance.unicast_peers(i))->ToString());
      }
    }
    if (!instance.source_address().empty() &&
        instance.source_address().size() != size) {
      mismatch(pending.source_location, "the source address");
    }
    if (!instance.multicast_group().empty() &&
        instance.multicast_group().size() != size) {
      mismatch(pending.group_location, "mcast_dst_ip");
    }
    if (size == 16 &&
        !(static_cast<uint8_t>(instance.vips(0).address()[0]) == 0xfe &&
          (static_cast<uint8_t>(instance.vips(0).address()[1]) & 0xc0) ==
              0x80)) {
      diag_.Warning(
          pending.vip_locations.front(),
          absl::StrCat(
              "vrrp_instance ", instance.name(),
              ": RFC 9568 wants the first IPv6 virtual_ipaddress to be the "
              "link-local one; peers that follow erratum 8300 (vigil among "
              "them) drop adverts without it"));
    }
  }

  // A VIP in two places would be added by one instance and removed by the
  // other: an error, naming both.
  void CheckDuplicateVips() {
    std::map<std::string, std::string> owner;  // address bytes -> instance
    for (const PendingInstance& pending : instances_) {
      const VrrpInstance& instance = *pending.proto;
      std::vector<const config::VirtualAddress*> all =
          ManagedAddresses(instance);
      for (size_t i = 0; i < all.size(); ++i) {
        const config::VirtualAddress& vip = *all[i];
        auto [it, inserted] = owner.emplace(vip.address(), instance.name());
        if (inserted) continue;
        size_t vips = pending.vip_locations.size();
        const Location& at = i < vips ? pending.vip_locations[i]
                                      : pending.excluded_locations[i - vips];
        diag_.Error(
            at, it->second == instance.name()
                    ? absl::StrCat("vrrp_instance ", instance.name(), " lists ",
                                   vip.text(), " twice")
                    : absl::StrCat("virtual_ipaddress ", vip.text(),
                                   " of vrrp_instance ", instance.name(),
                                   " is also in vrrp_instance ", it->second));
      }
    }
  }

  void CheckCrossReferences() {
    CheckDuplicateVips();
    std::map<std::string, const VrrpInstance*> names;
    std::map<std::string, std::string> vmacs;  // VMAC name -> instance
    // v4 and v6 virtual routers are independent (RFC 5798 5.2.3).
    std::map<std::tuple<std::string, size_t, uint32_t>, std::string> vrids;
    for (size_t i = 0; i < instances_.size(); ++i) {
      const VrrpInstance& instance = *instances_[i].proto;
      const Location& at = instances_[i].location;
      if (!names.emplace(instance.name(), &instance).second) {
        diag_.Error(at, absl::StrCat("vrrp_instance ", instance.name(),
                                     " is defined twice"));
      }
      if (instance.use_vmac()) {
        auto [vmac, fresh] =
            vmacs.emplace(instance.vmac_name(), instance.name());
        if (!fresh) {
          diag_.Error(at, absl::StrCat("vrrp_instance ", instance.name(),
                                       ": VMAC ", instance.vmac_name(),
                                       " is already vrrp_instance ",
                                       vmac->second, "'s"));
        }
      }
      size_t family =
          instance.vips().empty() ? 4 : instance.vips(0).address().size();
      auto key = std::make_tuple(instance.interface(), family, instance.vrid());
      auto [it, inserted] = vrids.emplace(key, instance.name());
      if (!inserted && instances_[i].saw_vrid) {
        diag_.Error(
            at, absl::StrCat("virtual_router_id ", instance.vrid(), " on ",
                             instance.interface(),
                             " is already used by vrrp_instance ", it->second));
      }
    }
    std::set<std::string> scripts;
    for (const VrrpScript& script : config_.scripts()) {
      if (!scripts.insert(script.name()).second) {
        diag_.Error(
            script_locations_[script.name()],
            absl::StrCat("vrrp_script ", script.name(), " is defined twice"));
      }
    }
    for (const TrackReference& ref : track_locations_) {
      if (!scripts.count(ref.script)) {
        diag_.Error(ref.location, absl::StrCat("track_script '", ref.script,
                                               "' names no vrrp_script"));
      }
    }
    for (const auto& [name, at] : file_references_) {
      if (!file_locations_.count(name)) {
        diag_.Error(at, absl::StrCat("track_file '", name,
                                     "' names no track_file block"));
      }
    }
  }

  // ---- vrrp_sync_group
  // --------------------------------------------------------

  struct PendingGroup {
    config::SyncGroup* proto;
    Location location;
    std::vector<std::pair<std::string, Location>> members;
    std::unique_ptr<VrrpInstance> tracks;  // the group's own track_script
    bool tracking_weight = false;
  };

  void SyncGroup(const Node& block) {
    if (!WantArgs(block, 1, 1)) return;
    PendingGroup group{config_.add_sync_groups(),
                       block.keyword.location,
                       {},
                       std::make_unique<VrrpInstance>()};
    group.proto->set_name(block.args[0].text);
    group.proto->set_location(block.keyword.location.ToString());
    for (const Node& node : block.children) {
      const std::string& kw = node.keyword.text;
      if (kw == "group") {
        for (const Node& member : node.children) {
          NoBlock(member);
          group.members.emplace_back(member.keyword.text,
                                     member.keyword.location);
          for (const Token& more : member.args)
            group.members.emplace_back(more.text, more.location);
        }
      } else if (kw == "track_script") {
        TrackScripts(node, group.tracks.get());
      } else if (kw == "track_interface") {
        TrackInterfaces(node, group.tracks.get());
      } else if (kw == "track_file") {
        TrackFiles(node, group.tracks.get());
      } else if (kw == "sync_group_tracking_weight") {
        group.tracking_weight = Flag(node);
      } else if (absl::StartsWith(kw, "notify")) {
        NotifyScript(node, group.proto->mutable_notify(), "vrrp_sync_group",
                     Block::kSyncGroup);
      } else {
        Unsupported(node, "vrrp_sync_group", Block::kSyncGroup);
      }
    }
    groups_.push_back(std::move(group));
  }

  const VrrpScript* FindScript(const std::string& name) const {
    for (const VrrpScript& script : config_.scripts())
      if (script.name() == name) return &script;
    return nullptr;
  }

  int TrackWeight(const config::TrackScript& track) const {
    if (track.has_weight()) return track.weight();
    const VrrpScript* script = FindScript(track.name());
    return script == nullptr ? 0 : script->weight();
  }

  VrrpInstance* FindInstance(const std::string& name) {
    for (VrrpInstance& instance : *config_.mutable_instances())
      if (instance.name() == name) return &instance;
    return nullptr;
  }

  // Members learn their group; the group's trackers join theirs. Weighted
  // member trackers are dropped unless sync_group_tracking_weight, as
  // keepalived does, but with a warning: keepalived's silence about it is a
  // common surprise.
  void ResolveSyncGroup(PendingGroup& group) {
    const std::string& name = group.proto->name();
    for (const auto& [member, at] : group.members) {
      VrrpInstance* instance = FindInstance(member);
      if (instance == nullptr) {
        diag_.Error(at,
                    absl::StrCat("vrrp_sync_group ", name,
                                 ": no vrrp_instance named '", member, "'"));
        continue;
      }
      if (!instance->sync_group().empty()) {
        diag_.Error(at, absl::StrCat("vrrp_instance ", member,
                                     " is already in vrrp_sync_group ",
                                     instance->sync_group()));
        continue;
      }
      instance->set_sync_group(name);
      group.proto->add_members(member);
      if (!group.tracking_weight) DropWeightedTrackers(*instance, group, at);
      // A tracker the member has itself keeps the member's settings.
      auto tracks = [](const auto& list, const std::string& tracker) {
        for (const auto& t : list)
          if (t.name() == tracker) return true;
        return false;
      };
      for (config::TrackScript track : group.tracks->track_scripts()) {
        if (tracks(instance->track_scripts(), track.name())) continue;
        track.set_weight(group.tracking_weight ? TrackWeight(track) : 0);
        track.set_has_weight(true);
        *instance->add_track_scripts() = track;
      }
      for (config::TrackInterface track : group.tracks->track_interfaces()) {
        if (tracks(instance->track_interfaces(), track.name())) continue;
        if (!group.tracking_weight) track.set_weight(0);
        *instance->add_track_interfaces() = track;
      }
      for (config::TrackFile track : group.tracks->track_files()) {
        if (tracks(instance->track_files(), track.name())) continue;
        if (!group.tracking_weight) {
          track.set_has_weight(true);
          track.set_weight(0);
        }
        *instance->add_track_files() = track;
      }
    }
    if (group.proto->members_size() == 1) {
      diag_.Warning(group.location,
                    absl::StrCat("vrrp_sync_group ", name,
                                 " has one member; it syncs nothing"));
    }
  }

  void DropWeightedTrackers(VrrpInstance& instance, const PendingGroup& group,
                            const Location& at) {
    DropWeighted(instance, group, at, "track_script",
                 instance.mutable_track_scripts(),
                 [&](const config::TrackScript& t) { return TrackWeight(t); });
    DropWeighted(instance, group, at, "track_interface",
                 instance.mutable_track_interfaces(),
                 [](const config::TrackInterface& t) { return t.weight(); });
    DropWeighted(instance, group, at, "track_file",
                 instance.mutable_track_files(),
                 [&](const config::TrackFile& t) {
                   if (t.has_weight()) return t.weight();
                   for (const auto& f : config_.track_files())
                     if (f.name() == t.name()) return f.weight();
                   return 0;
                 });
  }

  template <typename Tracker, typename WeightOf>
  void DropWeighted(const VrrpInstance& instance, const PendingGroup& group,
                    const Location& at, absl::string_view kind,
                    google::protobuf::RepeatedPtrField<Tracker>* trackers,
                    WeightOf weight_of) {
    for (int i = trackers->size() - 1; i >= 0; --i) {
      int weight = weight_of(trackers->Get(i));
      if (weight == 0) continue;
      diag_.Warning(
          at, absl::StrCat("vrrp_instance ", instance.name(), " is in ",
                           "vrrp_sync_group ", group.proto->name(), ", so its ",
                           kind, " ", trackers->Get(i).name(), " (weight ",
                           weight, ") is ignored, as keepalived does; add ",
                           "sync_group_tracking_weight to the group to apply ",
                           "it"));
      trackers->DeleteSubrange(i, 1);
    }
  }

  struct TrackReference {
    const VrrpInstance* instance;
    std::string script;
    Location location;
  };

  Diagnostics& diag_;
  Config config_;
  std::optional<Location> vip_lifetime_at_;  // set explicitly there
  std::vector<PendingInstance> instances_;
  std::vector<TrackReference> track_locations_;
  std::vector<PendingGroup> groups_;
  std::map<std::string, Location> file_locations_;
  std::vector<std::pair<std::string, Location>> file_references_;
  std::map<std::string, Location> script_locations_;
};

}  // namespace

Config BuildConfig(const std::vector<Node>& tree, Diagnostics& diagnostics) {
  return Builder(diagnostics).Build(tree);
}

}  // namespace vigil::conf
