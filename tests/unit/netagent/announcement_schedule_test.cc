#include "netagent/announcement_schedule.h"

#include "gtest/gtest.h"

namespace vigil::agent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class AnnouncementScheduleTest : public ::testing::Test {
 protected:
  AnnouncementScheduleTest() : schedule_(global_) {
    instance_.set_name("HA_1");
    instance_.set_interface("eth0");
    instance_.set_garp_master_repeat(5);
    instance_.set_garp_master_delay_ms(5000);
    instance_.set_garp_master_refresh_repeat(1);
    for (const char* vip : {"192.0.2.100", "192.0.2.101"}) {
      instance_.add_vips()->set_address(
          std::string(IpAddress::Parse(vip)->bytes()));
    }
  }
  size_t PacketsAt(TimePoint t) {
    schedule_.StartDueBursts(t);
    return schedule_.TakeDuePackets(t).size();
  }

  FakeClock clock_;
  config::GlobalDefs global_;
  config::VrrpInstance instance_;
  AnnouncementSchedule schedule_;
};

TEST_F(AnnouncementScheduleTest, BurstNowAndAgainAfterTheDelay) {
  TimePoint t0 = clock_.Now();
  schedule_.Activate(instance_, t0);
  EXPECT_EQ(PacketsAt(t0), 10u);  // 5 per VIP
  EXPECT_EQ(schedule_.NextDue(), t0 + seconds(5));
  EXPECT_EQ(PacketsAt(t0 + seconds(5) - milliseconds(1)), 0u);
  EXPECT_EQ(PacketsAt(t0 + seconds(5)), 10u);
  EXPECT_FALSE(schedule_.NextDue().has_value()) << "no refresh configured";
}

TEST_F(AnnouncementScheduleTest, DeactivationCancelsTheSecondBurst) {
  TimePoint t0 = clock_.Now();
  schedule_.Activate(instance_, t0);
  PacketsAt(t0);
  schedule_.Deactivate("HA_1");
  EXPECT_FALSE(schedule_.NextDue().has_value());
  EXPECT_EQ(PacketsAt(t0 + seconds(10)), 0u);
}

TEST_F(AnnouncementScheduleTest, GarpIntervalSpacesPacketsPerInterface) {
  global_.set_garp_interval_us(10'000);
  schedule_.SetGlobal(global_);
  TimePoint t0 = clock_.Now();
  schedule_.Activate(instance_, t0);
  EXPECT_EQ(PacketsAt(t0), 1u);
  EXPECT_EQ(schedule_.NextDue(), t0 + milliseconds(10));
  EXPECT_EQ(PacketsAt(t0 + milliseconds(45)), 4u);
  EXPECT_EQ(PacketsAt(t0 + milliseconds(90)), 5u);
  EXPECT_EQ(PacketsAt(t0 + milliseconds(1000)), 0u);
}

TEST_F(AnnouncementScheduleTest, RefreshRepeatsWhileActive) {
  instance_.set_garp_master_delay_ms(0);
  instance_.set_garp_master_refresh_ms(60'000);
  instance_.set_garp_master_refresh_repeat(2);
  TimePoint t0 = clock_.Now();
  schedule_.Activate(instance_, t0);
  EXPECT_EQ(PacketsAt(t0), 10u);
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(PacketsAt(t0 + seconds(60 * i)), 4u) << "refresh " << i;
  }
}

}  // namespace
}  // namespace vigil::agent
