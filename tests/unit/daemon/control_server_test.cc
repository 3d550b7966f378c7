#include "daemon/control_server.h"

#include <vector>

#include "gtest/gtest.h"

namespace vigil::brain {
namespace {

constexpr gid_t kControl = 120;

TEST(PeerMayControl, RootAlways) {
  EXPECT_TRUE(ControlServer::PeerMayControl(0, 1000, {}, kControl));
}

TEST(PeerMayControl, PrimaryOrSupplementaryGroupMember) {
  EXPECT_TRUE(ControlServer::PeerMayControl(1000, kControl, {}, kControl));
  std::vector<gid_t> groups = {27, kControl, 1000};
  EXPECT_TRUE(ControlServer::PeerMayControl(1000, 1000, groups, kControl));
}

TEST(PeerMayControl, EveryoneElseRefused) {
  std::vector<gid_t> groups = {27, 1000};
  EXPECT_FALSE(ControlServer::PeerMayControl(1000, 1000, groups, kControl));
  EXPECT_FALSE(ControlServer::PeerMayControl(65534, 65534, {}, kControl));
}

// With the default group (root's), gid 0 alone is enough, as the file mode
// 0660 root:root says.
TEST(PeerMayControl, DefaultGroupIsRoots) {
  std::vector<gid_t> groups = {0};
  EXPECT_TRUE(ControlServer::PeerMayControl(65534, 65534, groups, 0));
  EXPECT_FALSE(ControlServer::PeerMayControl(65534, 65534, {}, 0));
}

}  // namespace
}  // namespace vigil::brain
