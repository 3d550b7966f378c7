// keepalived.conf's `include` and `$NAME` parameters (issue 4, part 1).
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "conf/loader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil::conf {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Messages(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics.items()) out.push_back(d.ToString());
  return out;
}

class IncludeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil-include-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "conf.d");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  static std::string Instance(const std::string& name, int vrid) {
    return "vrrp_instance " + name +
           " {\n interface eth0\n virtual_router_id " + std::to_string(vrid) +
           "\n virtual_ipaddress {\n  192.0.2." + std::to_string(vrid) +
           "\n }\n}\n";
  }
  std::filesystem::path dir_;
};

TEST_F(IncludeTest, GlobRelativeToTheIncludingFile) {
  Write("main.conf", "global_defs {\n router_id r\n}\ninclude conf.d/*.conf\n");
  Write("conf.d/b.conf", Instance("B", 2));
  Write("conf.d/a.conf", Instance("A", 1));
  LoadResult r = LoadConfigFile((dir_ / "main.conf").string());
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  ASSERT_EQ(r.config.instances_size(), 2);
  EXPECT_EQ(r.config.instances(0).name(), "A") << "sorted like the shell sorts";
  EXPECT_EQ(r.config.instances(1).name(), "B");
}

TEST_F(IncludeTest, IncludeInsideABlockAndErrorsNameTheIncludedFile) {
  Write("main.conf",
        "vrrp_instance A {\n interface eth0\n include vips.conf\n "
        "virtual_router_id 1\n}\n");
  Write("vips.conf", "virtual_ipaddress {\n 192.0.2.1\n}\npriority 300\n");
  LoadResult r = LoadConfigFile((dir_ / "main.conf").string());
  EXPECT_EQ(r.config.instances(0).vips_size(), 1);
  EXPECT_THAT(Messages(r),
              ElementsAre(HasSubstr(
                  "vips.conf:4:10: error: 'priority' must be an integer")));
}

TEST_F(IncludeTest, MissingAndLoopingIncludes) {
  Write("main.conf",
        Instance("A", 1) + "include nothing-*.conf\ninclude self.conf\n");
  Write("self.conf", "include self.conf\n");
  LoadResult r = LoadConfigFile((dir_ / "main.conf").string());
  EXPECT_THAT(
      Messages(r),
      ElementsAre(HasSubstr("main.conf:8:1: warning: include "
                            "'nothing-*.conf' matches no file"),
                  HasSubstr("self.conf:1:1: error: includes nest deeper")));
}

TEST(Include, VariantsThatMustMatchMakeAnEmptyGlobAnError) {
  LoadResult plain =
      ParseConfigText("include /nonexistent-vigil/*.conf\n", "/tmp/t.conf");
  EXPECT_THAT(Messages(plain),
              ::testing::Contains(HasSubstr(
                  "t.conf:1:1: warning: include '/nonexistent-vigil/*.conf' "
                  "matches no file")));
  for (const char* variant : {"includem", "includew", "includeb", "includea"}) {
    LoadResult r = ParseConfigText(
        std::string(variant) + " /nonexistent-vigil/*.conf\n", "/tmp/t.conf");
    EXPECT_THAT(Messages(r),
                ::testing::Contains(
                    HasSubstr(std::string("t.conf:1:1: error: ") + variant +
                              " '/nonexistent-vigil/*.conf' matches no file")))
        << variant;
  }
}

TEST(Include, CanBeRefusedForTextFromNowhere) {
  LoadResult r = ParseConfigText("include /etc/*\n", "t.conf", "",
                                 /*allow_include=*/false);
  EXPECT_THAT(Messages(r),
              ::testing::Contains(HasSubstr(
                  "t.conf:1:1: error: 'include' is not allowed here")));
}

TEST(Parameters, ExpandDefinedNamesAndKeepOthers) {
  LoadResult r = ParseConfigText(
      "$IF=eth0\n$VRID = 51\n$PRIO=${BASE}\n$BASE=100\n"
      "vrrp_instance VI_$VRID {\n interface $IF\n virtual_router_id ${VRID}\n"
      " priority $PRIO\n virtual_ipaddress {\n  192.0.2.$VRID\n }\n"
      " notify \"/bin/n $UNDEFINED\"\n}\n",
      "p.conf");
  ASSERT_EQ(r.config.instances_size(), 1);
  const config::VrrpInstance& i = r.config.instances(0);
  EXPECT_EQ(i.name(), "VI_51");
  EXPECT_EQ(i.interface(), "eth0");
  EXPECT_EQ(i.vrid(), 51u);
  EXPECT_EQ(i.priority(), 100u) << "expanded at use, after BASE was defined";
  EXPECT_EQ(i.vips(0).text(), "192.0.2.51");
  // An undefined name stays as written, like keepalived.
  EXPECT_THAT(i.notify().any(), ElementsAre("/bin/n", "$UNDEFINED"));
  EXPECT_TRUE(r.diagnostics.items().empty());
}

TEST(Parameters, PredefinedPwdEnvAndRandom) {
  setenv("VIGIL_TEST_IFACE", "eth7", 1);
  LoadResult r = ParseConfigText(
      "vrrp_instance V {\n interface ${_ENV VIGIL_TEST_IFACE}\n"
      " virtual_router_id ${_RANDOM 7 7}\n priority ${_RANDOM 50 60}\n"
      " notify ${_PWD}/n.sh\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
      "/etc/vigil/p.conf");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  const config::VrrpInstance& i = r.config.instances(0);
  EXPECT_EQ(i.interface(), "eth7");
  EXPECT_EQ(i.vrid(), 7u);
  EXPECT_GE(i.priority(), 50u);
  EXPECT_LE(i.priority(), 60u);
  EXPECT_THAT(i.notify().any(), ElementsAre("/etc/vigil/n.sh"));
}

TEST(Parameters, HexSequencesAndMultiVariableLists) {
  LoadResult r = ParseConfigText(
      "$I=vrrp_instance V_${N} { \\\n interface ${IF} \\\n virtual_router_id "
      "${ID} \\\n virtual_ipaddress { \\\n 192.0.2.${ID} \\\n } \\\n}\n"
      "~LST({N, IF, ID}, {a, eth0, 10}, {b, eth1, 11}) $I\n"
      "~SEQx(X, 9, 1, 11) vrrp_script s_${X} { script /bin/true }\n",
      "/tmp/g.conf");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  ASSERT_EQ(r.config.instances_size(), 2);
  EXPECT_EQ(r.config.instances(1).name(), "V_b");
  EXPECT_EQ(r.config.instances(1).interface(), "eth1");
  EXPECT_EQ(r.config.instances(1).vrid(), 11u);

  ASSERT_EQ(r.config.scripts_size(), 3);
  EXPECT_EQ(r.config.scripts(1).name(), "s_a") << "~SEQx counts in hex";
  LoadResult bad =
      ParseConfigText("~LST({A, B}, {1, 2}, {3})\n", "/tmp/b.conf");
  EXPECT_THAT(Messages(bad),
              ElementsAre(HasSubstr("b.conf:1:1: error: ~LST value {3} has 1 "
                                    "fields for 2 variables")));
}

TEST(Parameters, ConditionalLinesFollowTheConfigId) {
  std::string text =
      "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n"
      " @node_a priority 150\n @^node_a priority 50\n @node_a   state MASTER\n"
      " virtual_ipaddress {\n  192.0.2.1\n }\n}\n";
  LoadResult a = ParseConfigText(text, "c.conf", "node_a");
  ASSERT_TRUE(a.ok()) << ::testing::PrintToString(Messages(a));
  EXPECT_EQ(a.config.instances(0).priority(), 150u);
  EXPECT_EQ(a.config.instances(0).initial_state(),
            config::VrrpInstance::INITIAL_MASTER);
  LoadResult b = ParseConfigText(text, "c.conf", "node_b");
  EXPECT_EQ(b.config.instances(0).priority(), 50u);
  EXPECT_EQ(b.config.instances(0).initial_state(),
            config::VrrpInstance::INITIAL_BACKUP);
  // Columns stay true after the prefix.
  LoadResult bad = ParseConfigText(
      "vrrp_instance V {\n @node_a priority 999\n}\n", "c.conf", "node_a");
  EXPECT_THAT(Messages(bad),
              ::testing::Contains(HasSubstr("c.conf:2:19: error: 'priority'")));
}

TEST(Parameters, LstGeneratesOneLinePerValueKeepingLineNumbers) {
  LoadResult lst = ParseConfigText(
      "vrrp_instance V {\n interface eth0\n virtual_router_id 9\n"
      " virtual_ipaddress {\n  ~LST(X, 10, 11, 12) 192.0.2.$X\n }\n"
      " priority 999\n}\n",
      "g.conf");
  ASSERT_EQ(lst.config.instances_size(), 1);
  EXPECT_EQ(lst.config.instances(0).vips_size(), 3);
  EXPECT_EQ(lst.config.instances(0).vips(2).text(), "192.0.2.12");
  // Line numbers after the generated lines are still the file's.
  EXPECT_THAT(Messages(lst),
              ElementsAre(HasSubstr("g.conf:7:11: error: 'priority'")));
}

TEST(Parameters, SeqBuildsInstancesAndBadGeneratorsAreErrors) {
  LoadResult seq = ParseConfigText(
      "~SEQ(N, 1, 1, 3) vrrp_instance VI_$N { interface eth0 }\n", "g.conf");
  ASSERT_EQ(seq.config.instances_size(), 3);
  EXPECT_EQ(seq.config.instances(2).name(), "VI_3");
  LoadResult down = ParseConfigText(
      "~SEQ(N, 10, -5, 0) vrrp_instance VI_$N { interface eth0 }\n", "g.conf");
  ASSERT_EQ(down.config.instances_size(), 3);
  EXPECT_EQ(down.config.instances(2).name(), "VI_0");
  LoadResult bad = ParseConfigText("~SEQ(N, 1, 0, 5) x\n~LST(N)\n", "g.conf");
  EXPECT_THAT(Messages(bad), ::testing::IsSupersetOf(
                                 {HasSubstr("g.conf:1:1: error: ~SEQ needs"),
                                  HasSubstr("g.conf:2:1: error: ~LST needs")}));
}

TEST(Parameters, MultiLineDefinitionAndEndlessRecursion) {
  LoadResult r = ParseConfigText(
      "$VIPS=192.0.2.1 \\\n 192.0.2.2\nvrrp_instance V {\n interface eth0\n"
      " virtual_router_id 1\n virtual_ipaddress {\n  $VIPS\n }\n}\n",
      "p.conf");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Messages(r));
  EXPECT_EQ(r.config.instances(0).vips_size(), 2);
  LoadResult loop = ParseConfigText("$A=$B\n$B=$A\nrouter $A\n", "p.conf");
  EXPECT_THAT(Messages(loop),
              ::testing::Contains(HasSubstr("p.conf:3:1: error: parameters "
                                            "expand into each other")));
}

}  // namespace
}  // namespace vigil::conf
