#include "daemon/sync_groups.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil::brain {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

// Feeds every transition to the groups, as the brain does.
class GroupActions : public InstanceActions {
 public:
  void SendAdvert(const Instance&, uint8_t) override {}
  void SetActive(const Instance& i, bool active) override {
    log.push_back(i.name() + (active ? " active" : " inactive"));
  }
  void StateChanged(const Instance& i, State, State to,
                    absl::string_view) override {
    log.push_back(i.name() + " " + std::string(StateName(to)));
    if (groups) groups->Transitioned(i, to);
  }
  void Notice(const Instance&, absl::string_view) override {}
  std::vector<std::string> Take() { return std::exchange(log, {}); }
  SyncGroups* groups = nullptr;
  std::vector<std::string> log;
};

class SyncGroupsTest : public ::testing::Test {
 protected:
  SyncGroupsTest() {
    config_.add_scripts()->set_name("chk");
    for (const char* name : {"VI_1", "VI_2", "LONER"}) {
      config::VrrpInstance* i = config_.add_instances();
      i->set_name(name);
      i->set_vrid(static_cast<uint32_t>(config_.instances_size()));
      i->set_priority(100);
      i->set_version(3);
      i->set_advert_int_cs(100);
      if (std::string(name) != "LONER") i->set_sync_group("G");
      auto* track = i->add_track_scripts();
      track->set_name(std::string(name) == "VI_1" ? "chk" : "other");
      track->set_has_weight(true);
    }
    actions_.groups = &groups_;
    std::vector<Instance*> all;
    for (const auto& c : config_.instances()) {
      instances_.push_back(std::make_unique<Instance>(
          c, config_, *IpAddress::Parse("192.0.2.2"), &clock_, &actions_));
      all.push_back(instances_.back().get());
    }
    groups_.Assign(all);
    for (auto& i : instances_) i->Start();
    groups_.Settle();
  }
  void AllBecomeMaster() {
    clock_.Advance(std::chrono::seconds(4));
    for (auto& i : instances_) i->OnTimer();
    groups_.Settle();
    actions_.Take();
  }
  Instance& Get(int i) { return *instances_[static_cast<size_t>(i)]; }

  FakeClock clock_;
  config::Config config_;
  GroupActions actions_;
  SyncGroups groups_;
  std::vector<std::unique_ptr<Instance>> instances_;
};

TEST_F(SyncGroupsTest, AFaultInOneMemberFaultsTheOthersAndOnlyThem) {
  AllBecomeMaster();
  Get(0).SetScriptState("chk", false);
  auto changes = groups_.Settle();
  EXPECT_EQ(Get(1).state(), State::kFault) << "VI_2 follows VI_1 into FAULT";
  EXPECT_EQ(Get(2).state(), State::kMaster) << "not in the group";
  EXPECT_THAT(actions_.Take(), ElementsAre("VI_1 inactive", "VI_1 FAULT",
                                           "VI_2 inactive", "VI_2 FAULT"));
  EXPECT_THAT(changes, ElementsAre(Field(&SyncGroups::GroupChange::state,
                                         State::kFault)));

  Get(0).SetScriptState("chk", true);
  groups_.Settle();
  EXPECT_EQ(Get(0).state(), State::kBackup);
  EXPECT_EQ(Get(1).state(), State::kBackup) << "released with VI_1";
}

TEST_F(SyncGroupsTest, AMemberBecomingBackupTakesTheOthersAlong) {
  AllBecomeMaster();
  vrrp::Advert higher;
  higher.priority = 200;
  higher.interval_cs = 100;
  Get(1).OnAdvert(higher, *IpAddress::Parse("192.0.2.9"));
  groups_.Settle();
  EXPECT_EQ(Get(0).state(), State::kBackup);
  EXPECT_EQ(Get(2).state(), State::kMaster);
}

TEST_F(SyncGroupsTest, GroupStateIsReportedOnceWhenAllMembersAgree) {
  clock_.Advance(std::chrono::seconds(4));
  Get(0).OnTimer();  // VI_1 first: VI_2 follows it to MASTER
  auto changes = groups_.Settle();
  EXPECT_EQ(Get(1).state(), State::kMaster);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].group, "G");
  EXPECT_EQ(changes[0].state, State::kMaster);
  Get(1).OnTimer();
  EXPECT_THAT(groups_.Settle(), IsEmpty()) << "no change, no report";
}

}  // namespace
}  // namespace vigil::brain
