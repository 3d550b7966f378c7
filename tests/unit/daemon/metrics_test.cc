#include "daemon/metrics.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/metrics_http.h"
#include "gtest/gtest.h"

namespace vigil::brain {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

control::Status OneInstance(const std::string& name) {
  control::Status status;
  control::InstanceStatus* i = status.add_instances();
  i->set_name(name);
  i->set_state("MASTER");
  i->set_base_priority(150);
  i->set_effective_priority(145);
  control::TrackerStatus* t = i->add_trackers();
  t->set_kind("script");
  t->set_name("chk");
  t->set_state("down");
  t->set_contribution(-5);
  return status;
}

TEST(Metrics, EachFamilyIsOneGroupWithItsHelpAndType) {
  control::Stats stats;
  (*stats.mutable_drops())["bad checksum"] = 2;
  stats.add_instances()->set_name("VI_1");
  std::vector<std::string> lines =
      Lines(RenderMetrics(OneInstance("VI_1"), stats));
  // A sample's family must be the last one declared before it.
  std::string current;
  std::set<std::string> seen;
  for (const std::string& line : lines) {
    if (line.rfind("# TYPE ", 0) == 0) {
      current = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_TRUE(seen.insert(current).second) << current << " twice";
      continue;
    }
    if (line[0] == '#') continue;
    EXPECT_EQ(line.substr(0, line.find_first_of("{ ")), current) << line;
  }
  auto has = [&](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  EXPECT_TRUE(
      has("vigil_instance_state{instance=\"VI_1\",state=\"MASTER\"} 1"));
  EXPECT_TRUE(has("vigil_instance_effective_priority{instance=\"VI_1\"} 145"));
  EXPECT_TRUE(has(
      "vigil_tracker_up{instance=\"VI_1\",kind=\"script\",tracker=\"chk\"} 0"));
  EXPECT_TRUE(
      has("vigil_tracker_priority_contribution{instance=\"VI_1\","
          "kind=\"script\",tracker=\"chk\"} -5"));
  EXPECT_TRUE(has("vigil_receive_drops_total{reason=\"bad checksum\"} 2"));
}

TEST(Metrics, LabelValuesAreEscaped) {
  std::string text = RenderMetrics(OneInstance("a\"b\\c\nd"), control::Stats());
  EXPECT_NE(text.find("instance=\"a\\\"b\\\\c\\nd\""), std::string::npos)
      << text;
}

}  // namespace
}  // namespace vigil::brain

namespace vigil::brain {
namespace {

TEST(MetricsHttp, ServesMetricsOnlyAtSlashMetrics) {
  std::string ok = MetricsHttp::Respond(
      "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n", "vigil_x 1\n");
  EXPECT_EQ(ok.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << ok;
  EXPECT_NE(ok.find("Content-Length: 10\r\n"), std::string::npos) << ok;
  EXPECT_EQ(ok.substr(ok.size() - 10), "vigil_x 1\n");
  EXPECT_EQ(MetricsHttp::Respond("GET / HTTP/1.1\r\n\r\n", "x")
                .rfind("HTTP/1.0 404", 0),
            0u);
  EXPECT_EQ(MetricsHttp::Respond("POST /metrics HTTP/1.1\r\n\r\n", "x")
                .rfind("HTTP/1.0 400", 0),
            0u);
  EXPECT_EQ(MetricsHttp::Respond("\x01\x02garbage\r\n\r\n", "x")
                .rfind("HTTP/1.0 400", 0),
            0u);
}

}  // namespace
}  // namespace vigil::brain
