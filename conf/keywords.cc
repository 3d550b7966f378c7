#include "conf/keywords.h"

#include <algorithm>
#include <vector>

namespace vigil::conf {
namespace {

using KeywordSet = std::set<std::string, std::less<>>;

const KeywordSet& Top() {
  static const KeywordSet k = {"global_defs",
                               "vrrp_instance",
                               "vrrp_script",
                               "vrrp_sync_group",
                               "track_file",
                               "vrrp_track_file",
                               "vrrp_track_process",
                               "garp_group",
                               "track_group",
                               "static_ipaddress",
                               "static_routes",
                               "static_rules",
                               "linkbeat_interfaces",
                               "interface_up_down_delays",
                               "net_namespace",
                               "net_namespace_ipvs",
                               "namespace_with_ipsets",
                               "instance",
                               "use_pid_dir",
                               "child_wait_time",
                               "linkbeat_use_polling",
                               "bfd_instance",
                               "virtual_server",
                               "virtual_server_group",
                               "include",
                               "includer",
                               "includem",
                               "includew",
                               "includeb",
                               "includea"};
  return k;
}

const KeywordSet& Global() {
  static const KeywordSet k = {"router_id",
                               "metrics_listen",
                               "process_names",
                               "process_name",
                               "vrrp_process_name",
                               "use_symlink_paths",
                               "set_supplementary_groups",
                               "umask",
                               "random_seed",
                               "startup_script",
                               "startup_script_timeout",
                               "shutdown_script",
                               "shutdown_script_timeout",
                               "notification_email",
                               "notification_email_from",
                               "smtp_server",
                               "smtp_helo_name",
                               "smtp_connect_timeout",
                               "smtp_alert",
                               "smtp_alert_vrrp",
                               "no_email_faults",
                               "vrrp_version",
                               "vrrp_mcast_group4",
                               "vrrp_mcast_group6",
                               "default_interface",
                               "vrrp_check_unicast_src",
                               "vrrp_skip_check_adv_addr",
                               "vrrp_strict",
                               "vrrp_rfc_preempt",
                               "vip_lifetime",
                               "v3_checksum_as_v2",
                               "vrrp_lower_prio_no_advert",
                               "vrrp_higher_prio_send_advert",
                               "vrrp_owner_ignore_adverts",
                               "vrrp_down_timer_adverts",
                               "vrrp_garp_master_delay",
                               "vrrp_garp_master_repeat",
                               "vrrp_garp_master_refresh",
                               "vrrp_garp_master_refresh_repeat",
                               "vrrp_garp_lower_prio_delay",
                               "vrrp_garp_lower_prio_repeat",
                               "vrrp_garp_interval",
                               "vrrp_gna_interval",
                               "vrrp_min_garp",
                               "vrrp_garp_extra_if",
                               "vrrp_vmac_garp_intvl",
                               "vrrp_startup_delay",
                               "vrrp_delay_after_boot",
                               "dynamic_interfaces",
                               "disable_local_igmp",
                               "linkbeat_use_polling",
                               "vmac_prefix",
                               "vmac_addr_prefix",
                               "vrrp_iptables",
                               "vrrp_ipsets",
                               "nftables",
                               "nftables_priority",
                               "nftables_ifindex",
                               "nftables_counters",
                               "vrrp_priority",
                               "vrrp_no_swap",
                               "vrrp_rt_priority",
                               "vrrp_cpu_affinity",
                               "vrrp_no_cpu_affinity",
                               "checker_cpu_affinity",
                               "vrrp_rlimit_rttime",
                               "vrrp_rlimit_rtime",
                               "max_auto_priority",
                               "min_auto_priority_delay",
                               "vrrp_netlink_cmd_rcv_bufs",
                               "vrrp_netlink_cmd_rcv_bufs_force",
                               "vrrp_netlink_monitor_rcv_bufs",
                               "vrrp_netlink_monitor_rcv_bufs_force",
                               "process_monitor_rcv_bufs",
                               "process_monitor_rcv_bufs_force",
                               "vrrp_rx_bufs_policy",
                               "vrrp_rx_bufs_multiplier",
                               "notify_fifo",
                               "notify_fifo_script",
                               "vrrp_notify_fifo",
                               "vrrp_notify_fifo_script",
                               "vrrp_notify_priority_changes",
                               "fifo_write_vrrp_states_on_reload",
                               "script_user",
                               "enable_script_security",
                               "snmp_socket",
                               "enable_snmp_vrrp",
                               "enable_snmp_keepalived",
                               "enable_snmp_rfc",
                               "enable_snmp_rfcv2",
                               "enable_snmp_rfcv3",
                               "enable_traps",
                               "enable_dbus",
                               "dbus_service_name",
                               "dbus_no_interface_name",
                               "reload_check_config",
                               "reload_time_file",
                               "reload_repeat",
                               "reload_file",
                               "config_save_dir",
                               "include_check",
                               "tmp_config_directory",
                               "data_use_instance",
                               "state_dump_file",
                               "stats_dump_file",
                               "json_dump_file",
                               "json_version",
                               "iproute_usr_dir",
                               "iproute_etc_dir",
                               "lvs_sync_daemon",
                               "lvs_id",
                               "lvs_timeouts",
                               "lvs_flush",
                               "checker_process_name",
                               "bfd_process_name",
                               "vrrp_garp_lower_prio_repeat",
                               "vrrp_skip_check_adv_addr"};
  return k;
}

const KeywordSet& Instance() {
  static const KeywordSet k = {"interface",
                               "virtual_router_id",
                               "state",
                               "version",
                               "vrf",
                               "dont_track_primary",
                               "native_ipv6",
                               "kernel_rx_buf_size",
                               "linkbeat_use_polling",
                               "debug",
                               "advert_int",
                               "preempt_delay",
                               "down_timer_adverts",
                               "timer_expired_backup",
                               "thread_timer_expired",
                               "priority",
                               "nopreempt",
                               "preempt",
                               "strict_mode",
                               "lower_prio_no_advert",
                               "higher_prio_send_advert",
                               "owner_ignore_adverts",
                               "skip_check_adv_addr",
                               "virtual_ipaddress",
                               "virtual_ipaddress_excluded",
                               "no_virtual_ipaddress",
                               "virtual_routes",
                               "virtual_rules",
                               "promote_secondaries",
                               "accept",
                               "no_accept",
                               "mcast_src_ip",
                               "unicast_src_ip",
                               "mcast_dst_ip",
                               "track_src_ip",
                               "authentication",
                               "auth_hmac",
                               "unicast_peer",
                               "unicast_ttl",
                               "check_unicast_src",
                               "unicast_fault_no_peer",
                               "old_unicast_checksum",
                               "v3_checksum_as_v2",
                               "use_vmac",
                               "use_vmac_addr",
                               "vmac_xmit_base",
                               "use_ipvlan",
                               "garp_extra_if",
                               "vmac_garp_intvl",
                               "track_interface",
                               "track_script",
                               "track_file",
                               "track_process",
                               "track_bfd",
                               "notify_master",
                               "notify_backup",
                               "notify_fault",
                               "notify",
                               "notify_stop",
                               "notify_deleted",
                               "notify_master_rx_lower_pri",
                               "notify_priority_changes",
                               "smtp_alert",
                               "garp_master_repeat",
                               "garp_master_delay",
                               "garp_master_refresh",
                               "garp_master_refresh_repeat",
                               "garp_lower_prio_delay",
                               "garp_lower_prio_repeat",
                               "lvs_sync_daemon_interface",
                               "sync_group_tracking_weight"};
  return k;
}

const KeywordSet& Script() {
  static const KeywordSet k = {"script", "interval", "timeout", "weight",
                               "rise",   "fall",     "user",    "init_fail"};
  return k;
}

const KeywordSet& SyncGroup() {
  static const KeywordSet k = {"group",
                               "notify_master",
                               "notify_backup",
                               "notify_fault",
                               "notify_stop",
                               "notify",
                               "track_script",
                               "track_interface",
                               "track_file",
                               "track_process",
                               "track_bfd",
                               "smtp_alert",
                               "global_tracking",
                               "sync_group_tracking_weight",
                               "notify_priority_changes"};
  return k;
}

const KeywordSet& TrackFile() {
  static const KeywordSet k = {"file", "weight", "init_file"};
  return k;
}

size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min(
          {row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const KeywordSet& KeepalivedKeywords(Block block) {
  switch (block) {
    case Block::kTop:
      return Top();
    case Block::kGlobalDefs:
      return Global();
    case Block::kVrrpInstance:
      return Instance();
    case Block::kVrrpScript:
      return Script();
    case Block::kSyncGroup:
      return SyncGroup();
    case Block::kTrackFile:
      return TrackFile();
  }
  return Top();
}

std::optional<std::string> SuggestKeyword(absl::string_view word, Block block) {
  // Close enough: at most a third of the word's letters wrong, and at most 3.
  size_t limit = std::min<size_t>(3, std::max<size_t>(1, word.size() / 3));
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const std::string& keyword : KeepalivedKeywords(block)) {
    size_t d = EditDistance(word, keyword);
    if (d < best_distance) {
      best_distance = d;
      best = keyword;
    }
  }
  return best;
}

}  // namespace vigil::conf
