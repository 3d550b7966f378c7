#include <string>

#include "absl/strings/str_cat.h"
#include "conf/loader.h"
#include "conf/values.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil::conf {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kScenario[] = R"(! the classic two-node setup
global_defs {
   router_id LVS_A        # comment after a value
   script_user vigil-checker
   enable_script_security
}
vrrp_script check_httpd {
    script "/usr/bin/curl -sf 'http://127.0.0.1/health check'"
    interval 2
    timeout 1.5
    weight -20
    fall 3
    rise 2
}
vrrp_instance HA_1
{
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        192.0.2.100
        192.0.2.101/24 dev eth0
    }
    track_script {
        check_httpd weight -30
    }
    nopreempt
}
)";

std::vector<std::string> Messages(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics.items()) out.push_back(d.ToString());
  return out;
}

TEST(ConfigParser, ParsesTheScenario) {
  LoadResult r = ParseConfigText(kScenario, "k.conf");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  // The only remark: vigil honours nopreempt even with state MASTER.
  EXPECT_THAT(Messages(r),
              ElementsAre(HasSubstr("k.conf:15:1: warning: vrrp_instance HA_1: "
                                    "nopreempt with state MASTER")));
  const config::Config& c = r.config;
  EXPECT_EQ(c.global().router_id(), "LVS_A");
  EXPECT_EQ(c.global().script_user(), "vigil-checker");
  EXPECT_TRUE(c.global().enable_script_security());
  ASSERT_EQ(c.scripts_size(), 1);
  const config::VrrpScript& s = c.scripts(0);
  EXPECT_THAT(s.argv(), ElementsAre("/usr/bin/curl", "-sf",
                                    "http://127.0.0.1/health check"));
  EXPECT_EQ(s.interval_ms(), 2000u);
  EXPECT_EQ(s.timeout_ms(), 1500u);
  EXPECT_EQ(s.weight(), -20);
  EXPECT_EQ(s.fall(), 3u);
  EXPECT_EQ(s.rise(), 2u);
  ASSERT_EQ(c.instances_size(), 1);
  const config::VrrpInstance& i = c.instances(0);
  EXPECT_EQ(i.name(), "HA_1");
  EXPECT_EQ(i.initial_state(), config::VrrpInstance::INITIAL_MASTER);
  EXPECT_EQ(i.interface(), "eth0");
  EXPECT_EQ(i.vrid(), 51u);
  EXPECT_EQ(i.priority(), 100u);
  EXPECT_EQ(i.advert_int_cs(), 100u);
  EXPECT_EQ(i.version(), 2u);
  EXPECT_EQ(i.auth_type(), config::VrrpInstance::AUTH_PASS);
  EXPECT_EQ(i.auth_pass(), "1111");
  ASSERT_EQ(i.vips_size(), 2);
  EXPECT_EQ(i.vips(0).address(), std::string("\xc0\x00\x02\x64", 4));
  EXPECT_EQ(i.vips(0).prefix_len(), 32u);
  EXPECT_EQ(i.vips(1).prefix_len(), 24u);
  ASSERT_EQ(i.track_scripts_size(), 1);
  EXPECT_TRUE(i.track_scripts(0).has_weight());
  EXPECT_EQ(i.track_scripts(0).weight(), -30);
  EXPECT_TRUE(i.nopreempt());
  EXPECT_EQ(i.garp_master_repeat(), 5u);
  EXPECT_EQ(i.garp_master_delay_ms(), 5000u);
}

LoadResult ParseInstance(const std::string& body,
                         const std::string& before = "") {
  return ParseConfigText(
      before + "vrrp_instance VI {\n interface eth0\n virtual_router_id 1\n" +
          " virtual_ipaddress {\n  192.0.2.1\n }\n" + body + "}\n",
      "t.conf");
}

TEST(ConfigParser, RepackedKeepsEveryField) {
  LoadResult r = ParseConfigText(kScenario, "k.conf");
  ASSERT_TRUE(r.ok());
  std::string before = r.config.SerializeAsString();
  config::Config packed = Repacked(r.config);
  EXPECT_EQ(packed.SerializeAsString(), before);
  EXPECT_EQ(packed.instances(0).vips(0).text(),
            r.config.instances(0).vips(0).text());
}

TEST(ConfigParser, ErrorsNameFileLineAndColumn) {
  LoadResult r = ParseInstance(" priority 300\n");
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(Messages(r),
              ElementsAre(HasSubstr("t.conf:7:11: error: 'priority' must be an "
                                    "integer from 1 to 255, not '300'")));
}

TEST(ConfigParser, CollectsEveryErrorNotJustTheFirst) {
  LoadResult r = ParseInstance(" priority 0\n advert_int abc\n state SLAVE\n");
  EXPECT_EQ(Messages(r).size(), 3u) << ::testing::PrintToString(Messages(r));
}

TEST(ConfigParser, UnknownTopLevelKeywordIsAnError) {
  LoadResult r = ParseInstance("", "vrrp_instanse X {\n}\n");
  EXPECT_THAT(Messages(r),
              ElementsAre(HasSubstr("t.conf:1:1: error: unknown keyword "
                                    "'vrrp_instanse'")));
}

TEST(ConfigParser, UnsupportedKeywordsAndBlocksAreWarnings) {
  LoadResult r = ParseInstance(
      " smtp_alert\n",
      "global_defs {\n notification_email_from a@b\n}\n"
      "virtual_server 192.0.2.9 80 {\n real_server 192.0.2.10 80 {\n"
      " }\n}\n");
  EXPECT_TRUE(r.ok());
  EXPECT_THAT(
      Messages(r),
      ElementsAre(HasSubstr("t.conf:2:2: warning: 'notification_email_from'"),
                  HasSubstr("t.conf:4:1: warning: block 'virtual_server'"),
                  HasSubstr("warning: 'smtp_alert' in vrrp_instance")));
}

TEST(ConfigParser, MissingFieldsAreErrors) {
  LoadResult r = ParseConfigText("vrrp_instance VI {\n}\n", "t.conf");
  EXPECT_THAT(Messages(r), ElementsAre(HasSubstr("has no 'interface'"),
                                       HasSubstr("has no 'virtual_router_id'"),
                                       HasSubstr("has no virtual_ipaddress")));
}

TEST(ConfigParser, DuplicateVridOnAnInterfaceIsAnError) {
  std::string two =
      "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n "
      "virtual_ipaddress {\n"
      "  192.0.2.1\n }\n}\nvrrp_instance B {\n interface eth0\n "
      "virtual_router_id 7\n"
      " virtual_ipaddress {\n  192.0.2.2\n }\n}\n";
  LoadResult r = ParseConfigText(two, "t.conf");
  EXPECT_THAT(Messages(r), ElementsAre(HasSubstr(
                               "t.conf:8:1: error: virtual_router_id 7 on "
                               "eth0 is already used by vrrp_instance A")));
}

TEST(ConfigParser, TrackScriptMustNameAScript) {
  LoadResult r = ParseInstance(" track_script {\n  nothere\n }\n");
  EXPECT_THAT(Messages(r),
              ElementsAre(HasSubstr("t.conf:8:3: error: track_script 'nothere' "
                                    "names no vrrp_script")));
}

TEST(ConfigParser, UnbalancedBracesAndQuotes) {
  LoadResult open =
      ParseConfigText("vrrp_instance VI {\n interface eth0\n", "t.conf");
  EXPECT_THAT(Messages(open),
              ::testing::Contains(HasSubstr("t.conf:1:1: error: block "
                                            "'vrrp_instance' opened here is "
                                            "not closed")));
  LoadResult close = ParseConfigText("}\n", "t.conf");
  EXPECT_THAT(Messages(close),
              ::testing::Contains(HasSubstr("t.conf:1:1: error: unexpected "
                                            "'}'")));
  LoadResult quote =
      ParseConfigText("vrrp_script s {\n script \"/bin/true\n}\n", "t.conf");
  EXPECT_THAT(Messages(quote),
              ::testing::Contains(HasSubstr("t.conf:2:9: error: unterminated "
                                            "quoted string")));
}

TEST(ConfigParser, EmptyOrMissingFileIsAnError) {
  EXPECT_FALSE(ParseConfigText("", "empty.conf").ok());
  LoadResult missing = LoadConfigFile("/nonexistent/vigil.conf");
  EXPECT_THAT(Messages(missing),
              ElementsAre(HasSubstr("/nonexistent/vigil.conf:0:0: error: "
                                    "cannot read the configuration")));
}

TEST(ConfigParser, BracesOnOneLine) {
  LoadResult r = ParseConfigText(
      "vrrp_instance VI { interface eth0\n virtual_router_id 9\n "
      "virtual_ipaddress { 192.0.2.5 "
      "}\n}",
      "t.conf");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  EXPECT_EQ(r.config.instances(0).vips_size(), 1);
}

TEST(ConfigParser, V2IntervalIsRoundedToSecondsV3KeepsCentiseconds) {
  LoadResult v2 = ParseInstance(" advert_int 1.4\n");
  EXPECT_TRUE(v2.ok());
  EXPECT_EQ(v2.config.instances(0).advert_int_cs(), 100u);
  EXPECT_THAT(Messages(v2),
              ElementsAre(HasSubstr("warning: VRRPv2 advert_int is whole")));
  LoadResult v3 = ParseInstance(" version 3\n advert_int 0.1\n");
  EXPECT_TRUE(v3.ok());
  EXPECT_EQ(v3.config.instances(0).advert_int_cs(), 10u);
  LoadResult too_long = ParseInstance(" version 3\n advert_int 41\n");
  EXPECT_FALSE(too_long.ok());
}

TEST(ConfigParser, LongPasswordIsTruncatedWithAWarning) {
  LoadResult r = ParseInstance(
      " authentication {\n  auth_type PASS\n  auth_pass 0123456789\n }\n");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.config.instances(0).auth_pass(), "01234567");
}

TEST(ConfigParser, UnicastPeers) {
  LoadResult r = ParseInstance(
      " unicast_src_ip 192.0.2.1\n unicast_ttl 64\n check_unicast_src\n"
      " unicast_peer {\n  192.0.2.2\n  192.0.2.3\n  bogus\n }\n");
  EXPECT_THAT(Messages(r),
              ElementsAre(HasSubstr(
                  "t.conf:13:3: error: 'bogus' is not an IPv4 or IPv6")));
  const config::VrrpInstance& i = r.config.instances(0);
  EXPECT_EQ(i.source_address(), std::string("\xc0\x00\x02\x01", 4));
  EXPECT_EQ(i.unicast_peers_size(), 2);
  EXPECT_EQ(i.unicast_ttl(), 64u);
  EXPECT_TRUE(i.check_unicast_src());
}

TEST(ConfigParser, Ipv6InstancesSpeakV3AndOneFamily) {
  LoadResult r = ParseConfigText(
      "vrrp_instance V6 {\n interface eth0\n virtual_router_id 1\n "
      "virtual_ipaddress {\n"
      "  fe80::1:51/64\n  2001:db8::100\n }\n}\n",
      "t.conf");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  EXPECT_TRUE(r.diagnostics.items().empty())
      << ::testing::PrintToString(Messages(r));
  EXPECT_EQ(r.config.instances(0).version(), 3u);
  EXPECT_EQ(r.config.instances(0).vips(1).prefix_len(), 128u);

  LoadResult v2 = ParseConfigText(
      "vrrp_instance V6 {\n interface eth0\n version 2\n virtual_router_id 1\n"
      " virtual_ipaddress {\n  2001:db8::100\n  192.0.2.1\n }\n}\n",
      "t.conf");
  EXPECT_THAT(
      Messages(v2),
      ElementsAre(
          HasSubstr("VRRPv2 is IPv4 only"),
          HasSubstr("virtual_ipaddress 192.0.2.1 is not IPv6"),
          HasSubstr(
              "warning: vrrp_instance V6: RFC 9568 wants the first IPv6")));
}

TEST(ConfigParser, GarpDefaultsComeFromGlobalDefsWherePlacedAnywhere) {
  LoadResult r = ParseInstance(" garp_master_repeat 3\n", "");
  EXPECT_EQ(r.config.instances(0).garp_master_repeat(), 3u);
  EXPECT_EQ(r.config.instances(0).garp_master_delay_ms(), 5000u);
  std::string text =
      "vrrp_instance VI {\n interface eth0\n virtual_router_id 1\n "
      "virtual_ipaddress {\n"
      "  192.0.2.1\n }\n garp_master_refresh 30\n}\n"
      "global_defs {\n vrrp_garp_master_delay 2\n vrrp_garp_master_refresh 60\n"
      " vrrp_garp_interval 0.001\n}\n";
  LoadResult g = ParseConfigText(text, "t.conf");
  ASSERT_TRUE(g.ok()) << ::testing::PrintToString(Messages(g));
  EXPECT_EQ(g.config.instances(0).garp_master_delay_ms(), 2000u);
  EXPECT_EQ(g.config.instances(0).garp_master_refresh_ms(), 30000u)
      << "the instance's own";
  EXPECT_EQ(g.config.global().garp_interval_us(), 1000u);
}

TEST(ConfigParser, MulticastGroups) {
  LoadResult r =
      ParseInstance("", "global_defs {\n vrrp_mcast_group4 224.0.0.19\n}\n");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  EXPECT_EQ(r.config.instances(0).multicast_group(),
            std::string("\xe0\x00\x00\x13", 4));
  LoadResult own = ParseInstance(" mcast_dst_ip 224.0.0.20\n");
  EXPECT_EQ(own.config.instances(0).multicast_group(),
            std::string("\xe0\x00\x00\x14", 4));
  LoadResult plain = ParseInstance("");
  EXPECT_EQ(plain.config.instances(0).multicast_group(),
            std::string("\xe0\x00\x00\x12", 4));
  LoadResult bad =
      ParseInstance(" mcast_dst_ip 192.0.2.1\n",
                    "global_defs {\n vrrp_mcast_group6 ff05::12\n}\n");
  EXPECT_THAT(Messages(bad),
              ElementsAre(HasSubstr("'ff05::12' is not an IPv6 link-scope"),
                          HasSubstr("'192.0.2.1' is not an IPv4 multicast")));
}

TEST(ConfigParser, CFG1_RejectsWhatTheRfcForbids) {
  EXPECT_FALSE(ParseInstance(" priority 0\n").ok());
  EXPECT_FALSE(ParseInstance(" advert_int 0\n").ok());
  EXPECT_FALSE(ParseInstance(" advert_int 256\n").ok());  // v2: at most 255 s
  EXPECT_FALSE(ParseInstance(" version 3\n advert_int 40.96\n").ok());
  EXPECT_TRUE(ParseInstance(" version 3\n advert_int 40.95\n").ok());
  EXPECT_FALSE(
      ParseConfigText(
          "vrrp_instance V {\n interface eth0\n version 2\n"
          " virtual_router_id 1\n virtual_ipaddress {\n  2001:db8::1\n }\n}\n",
          "t.conf")
          .ok());
  // The same VRID for IPv4 and IPv6 on one interface is fine: separate routers.
  LoadResult both = ParseConfigText(
      "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n "
      "virtual_ipaddress {\n"
      "  192.0.2.1\n }\n}\nvrrp_instance B {\n interface eth0\n "
      "virtual_router_id 7\n"
      " virtual_ipaddress {\n  fe80::7/64\n }\n}\n",
      "t.conf");
  EXPECT_TRUE(both.ok()) << ::testing::PrintToString(Messages(both));
}

TEST(ConfigParser, UnknownKeywordsAreErrorsWithASuggestion) {
  LoadResult r =
      ParseInstance(" virtual_routr_id 5\n priorty 10\n frobnicate\n",
                    "vrrp_instanse X {\n}\n");
  EXPECT_THAT(
      Messages(r),
      ElementsAre(
          HasSubstr("t.conf:1:1: error: unknown keyword 'vrrp_instanse'; "
                    "did you mean 'vrrp_instance'?"),
          HasSubstr("t.conf:9:2: error: unknown keyword 'virtual_routr_id' "
                    "in vrrp_instance; did you mean 'virtual_router_id'?"),
          HasSubstr("t.conf:10:2: error: unknown keyword 'priorty' in "
                    "vrrp_instance; did you mean 'priority'?"),
          HasSubstr("t.conf:11:2: error: unknown keyword 'frobnicate' in "
                    "vrrp_instance")));
  EXPECT_THAT(Messages(r)[3], ::testing::Not(HasSubstr("did you mean")));
}

TEST(ConfigParser, VipsListedTwiceAreErrors) {
  LoadResult r = ParseConfigText(
      "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n "
      "virtual_ipaddress {\n"
      "  192.0.2.1\n  192.0.2.1/24\n }\n}\nvrrp_instance B {\n interface eth0\n"
      " virtual_router_id 2\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
      "t.conf");
  EXPECT_THAT(
      Messages(r),
      ElementsAre(
          HasSubstr(
              "t.conf:6:3: error: vrrp_instance A lists 192.0.2.1/24 twice"),
          HasSubstr("t.conf:13:3: error: virtual_ipaddress 192.0.2.1 of "
                    "vrrp_instance B is also in vrrp_instance A")));
}

TEST(ConfigParser, AcceptModeAndStrictMode) {
  EXPECT_FALSE(ParseInstance("").config.instances(0).no_accept())
      << "keepalived's default is accept";
  EXPECT_TRUE(ParseInstance(" no_accept\n").config.instances(0).no_accept());
  // vrrp_strict implies no_accept unless the instance says accept.
  const char* strict = "global_defs {\n vrrp_strict\n}\n";
  EXPECT_TRUE(ParseInstance("", strict).config.instances(0).no_accept());
  EXPECT_FALSE(
      ParseInstance(" accept\n", strict).config.instances(0).no_accept());
  EXPECT_TRUE(
      ParseInstance(" strict_mode on\n").config.instances(0).no_accept());
  EXPECT_THAT(
      Messages(ParseInstance(" unicast_peer {\n  192.0.2.9\n }\n", strict)),
      ElementsAre(HasSubstr("unicast_peer is not allowed in strict")));
  LoadResult owner = ParseInstance(" priority 255\n no_accept\n");
  EXPECT_FALSE(owner.config.instances(0).no_accept());
  EXPECT_THAT(Messages(owner),
              ElementsAre(HasSubstr("warning: vrrp_instance VI: priority 255 "
                                    "owns its VIPs")));
}

TEST(ConfigParser, NotifyScripts) {
  LoadResult r = ParseInstance(
      " notify_master \"/etc/n.sh master 'a b'\"\n notify_backup /etc/b.sh\n"
      " notify /etc/all.sh\n notify_stop /etc/s.sh root\n"
      " notify_master_rx_lower_pri /etc/x.sh\n notify_fault\n");
  const config::NotifyScripts& n = r.config.instances(0).notify();
  EXPECT_THAT(n.master(), ElementsAre("/etc/n.sh", "master", "a b"));
  EXPECT_THAT(n.backup(), ElementsAre("/etc/b.sh"));
  EXPECT_THAT(n.any(), ElementsAre("/etc/all.sh"));
  EXPECT_THAT(n.stop(), ElementsAre("/etc/s.sh"));
  EXPECT_THAT(
      Messages(r),
      ElementsAre(
          HasSubstr("t.conf:10:24: warning: a per-script user"),
          HasSubstr("t.conf:11:2: warning: 'notify_master_rx_lower_pri'"
                    " in vrrp_instance is not supported"),
          HasSubstr("t.conf:12:2: error: 'notify_fault' needs a value")));
}

TEST(ConfigParser, SyncGroups) {
  std::string text =
      "vrrp_script chk {\n script /bin/true\n weight -10\n}\n"
      "vrrp_script grp {\n script /bin/true\n}\n"
      "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2 NOPE\n }\n"
      " track_script {\n  grp\n }\n notify \"/bin/g\"\n}\n"
      "vrrp_sync_group H {\n group {\n  VI_1\n }\n}\n";
  for (const char* name : {"VI_1", "VI_2"}) {
    absl::StrAppend(
        &text, "vrrp_instance ", name,
        " {\n interface eth0\n virtual_router_id ", name[3] == '1' ? "1" : "2",
        "\n virtual_ipaddress {\n  192.0.2.", name[3] == '1' ? "1" : "2",
        "\n }\n track_script {\n  chk\n }\n}\n");
  }
  LoadResult r = ParseConfigText(text, "t.conf");
  EXPECT_THAT(
      Messages(r),
      ElementsAre(
          HasSubstr("t.conf:10:3: warning: vrrp_instance VI_1 is in "
                    "vrrp_sync_group G, so its track_script chk (weight -10) "
                    "is ignored, as keepalived does"),
          HasSubstr("t.conf:11:3: warning: vrrp_instance VI_2 is in"),
          HasSubstr("t.conf:11:8: error: vrrp_sync_group G: no vrrp_instance "
                    "named 'NOPE'"),
          HasSubstr("t.conf:20:3: error: vrrp_instance VI_1 is already in "
                    "vrrp_sync_group G")));
  ASSERT_EQ(r.config.sync_groups_size(), 2);
  EXPECT_THAT(r.config.sync_groups(0).members(), ElementsAre("VI_1", "VI_2"));
  EXPECT_THAT(r.config.sync_groups(0).notify().any(), ElementsAre("/bin/g"));
  const config::VrrpInstance& vi1 = r.config.instances(0);
  EXPECT_EQ(vi1.sync_group(), "G");
  ASSERT_EQ(vi1.track_scripts_size(), 1) << "chk dropped, grp added";
  EXPECT_EQ(vi1.track_scripts(0).name(), "grp");
  EXPECT_EQ(vi1.track_scripts(0).weight(), 0) << "a group tracker faults";
}

TEST(ConfigParser, TrackInterfaceWithWeightsAndReverse) {
  LoadResult r = ParseInstance(
      " track_interface {\n  eth1\n  eth2 weight -20\n  eth3 weight 10 "
      "reverse\n"
      "  eth4 weight 300\n  eth5 weight 1 sideways\n }\n");
  const config::VrrpInstance& i = r.config.instances(0);
  ASSERT_EQ(i.track_interfaces_size(), 4);
  EXPECT_EQ(i.track_interfaces(0).weight(), 0);
  EXPECT_EQ(i.track_interfaces(1).weight(), -20);
  EXPECT_TRUE(i.track_interfaces(2).reverse());
  EXPECT_THAT(Messages(r),
              ElementsAre(HasSubstr("t.conf:11:15: error: track_interface "
                                    "weight must be from -253 to 253"),
                          HasSubstr("t.conf:12:17: error: expected 'reverse' "
                                    "or 'noreverse', not 'sideways'")));
}

// 1,001 VIPs in all: 1 in virtual_ipaddress, 1,000 excluded.
std::string ManyExcludedVips() {
  std::string body = " virtual_ipaddress_excluded {\n";
  for (int i = 1; i <= 1000; ++i)
    absl::StrAppend(&body, "  2001:db8:100:", absl::Hex(i), "::1\n");
  return body + " }\n";
}

TEST(ConfigParser, ThousandsOfVipsAreNotLeasedUnlessAsked) {
  LoadResult few = ParseInstance("");
  EXPECT_EQ(few.config.global().vip_lifetime_s(), 2u);
  LoadResult many = ParseInstance(ManyExcludedVips());
  EXPECT_TRUE(many.ok());
  EXPECT_EQ(many.config.global().vip_lifetime_s(), 0u);
  EXPECT_THAT(Messages(many),
              ElementsAre(HasSubstr("t.conf:1:1: warning: 1001 VIPs")));
  LoadResult asked =
      ParseInstance(ManyExcludedVips(), "global_defs {\n vip_lifetime 5\n}\n");
  EXPECT_EQ(asked.config.global().vip_lifetime_s(), 5u);
  EXPECT_THAT(Messages(asked),
              ElementsAre(HasSubstr("t.conf:2:2: warning: vip_lifetime with "
                                    "1001 VIPs")));
}

TEST(ConfigParser, CpuAffinityTakesKeepalivedsListsAndVigilsOff) {
  LoadResult plain = ParseInstance("");
  EXPECT_TRUE(plain.config.global().vrrp_cpus().empty());
  EXPECT_FALSE(plain.config.global().vrrp_no_cpu_affinity());
  LoadResult set = ParseInstance("",
                                 "global_defs {\n vrrp_cpu_affinity 2 3\n"
                                 " checker_cpu_affinity 0\n"
                                 " vrrp_no_cpu_affinity\n}\n");
  EXPECT_TRUE(set.ok()) << Messages(set)[0];
  EXPECT_THAT(set.config.global().vrrp_cpus(), ElementsAre(2u, 3u));
  EXPECT_THAT(set.config.global().checker_cpus(), ElementsAre(0u));
  EXPECT_TRUE(set.config.global().vrrp_no_cpu_affinity());
  LoadResult bad = ParseInstance(
      "", "global_defs {\n vrrp_cpu_affinity 1 x\n checker_cpu_affinity\n}\n");
  EXPECT_THAT(
      Messages(bad),
      ElementsAre(HasSubstr("t.conf:2:22: error: 'vrrp_cpu_affinity' "
                            "takes CPU numbers from 0 to 1023, not 'x'"),
                  HasSubstr("t.conf:3:2: error: 'checker_cpu_affinity' "
                            "needs a value")));
}

TEST(ConfigParser, SchedulingIsRealtimeByDefaultAndTakesKeepalivedsKeywords) {
  LoadResult plain = ParseInstance("");
  EXPECT_EQ(plain.config.global().vrrp_rt_priority(), 1u);
  EXPECT_EQ(plain.config.global().vrrp_nice(), 0);
  EXPECT_EQ(plain.config.global().vrrp_rlimit_rttime_us(), 1'000'000u);
  LoadResult set =
      ParseInstance("",
                    "global_defs {\n vrrp_rt_priority 30\n vrrp_priority -5\n"
                    " vrrp_rlimit_rtime 20000\n}\n");
  EXPECT_TRUE(set.ok());
  EXPECT_EQ(set.config.global().vrrp_rt_priority(), 30u);
  EXPECT_EQ(set.config.global().vrrp_nice(), -5);
  EXPECT_EQ(set.config.global().vrrp_rlimit_rttime_us(), 20'000u);
  LoadResult off = ParseInstance("", "global_defs {\n vrrp_rt_priority 0\n}\n");
  EXPECT_EQ(off.config.global().vrrp_rt_priority(), 0u);
  LoadResult bad =
      ParseInstance("",
                    "global_defs {\n vrrp_rt_priority 100\n vrrp_priority 20\n"
                    " vrrp_rlimit_rttime 5\n}\n");
  EXPECT_THAT(
      Messages(bad),
      ElementsAre(
          HasSubstr("t.conf:2:19: error: 'vrrp_rt_priority' must be an "
                    "integer from 0 to 99, not '100'"),
          HasSubstr("t.conf:3:16: error: 'vrrp_priority' must be an integer "
                    "from -20 to 19"),
          HasSubstr("t.conf:4:21: error: 'vrrp_rlimit_rttime' must be an "
                    "integer from 10000")));
}

TEST(ConfigValues, Seconds) {
  EXPECT_EQ(ParseSeconds("1"), 1'000'000);
  EXPECT_EQ(ParseSeconds("0.01"), 10'000);
  EXPECT_EQ(ParseSeconds(".5"), 500'000);
  EXPECT_EQ(ParseSeconds("1.2345678"), std::nullopt);
  EXPECT_EQ(ParseSeconds("-1"), std::nullopt);
  EXPECT_EQ(ParseSeconds("1e3"), std::nullopt);
  EXPECT_EQ(ParseSeconds(""), std::nullopt);
}

TEST(ConfigValues, SplitCommand) {
  EXPECT_THAT(SplitCommand("  /bin/a  b 'c d' \"e\"f "),
              ElementsAre("/bin/a", "b", "c d", "ef"));
  EXPECT_TRUE(SplitCommand("   ").empty());
}

}  // namespace
}  // namespace vigil::conf
