// The state machine on a fake clock: each test names the PROTOCOL.md check it
// covers where there is one.
#include "daemon/instance.h"

#include <arpa/inet.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace vigil::brain {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

// Records what the state machine asked for, in order.
class RecordingActions : public InstanceActions {
 public:
  void SendAdvert(const Instance&, uint8_t priority) override {
    log.push_back("advert " + std::to_string(priority));
  }
  void SetActive(const Instance&, bool active) override {
    log.push_back(active ? "active" : "inactive");
  }
  void StateChanged(const Instance&, State, State to,
                    absl::string_view) override {
    log.push_back("state " + std::string(StateName(to)));
  }
  void Notice(const Instance&, absl::string_view what) override {
    log.push_back("notice " + std::string(what));
  }
  std::vector<std::string> Take() { return std::exchange(log, {}); }
  std::vector<std::string> log;
};

config::Config MakeConfig(int priority, bool master, bool nopreempt = false,
                          int version = 2, int interval_cs = 100) {
  config::Config c;
  config::VrrpScript* script = c.add_scripts();
  script->set_name("chk_weight");
  script->set_weight(-20);
  config::VrrpScript* fault = c.add_scripts();
  fault->set_name("chk_fault");
  config::VrrpInstance* i = c.add_instances();
  i->set_name("HA_1");
  i->set_vrid(51);
  i->set_priority(static_cast<uint32_t>(priority));
  i->set_version(static_cast<uint32_t>(version));
  i->set_advert_int_cs(static_cast<uint32_t>(interval_cs));
  i->set_nopreempt(nopreempt);
  i->set_initial_state(master ? config::VrrpInstance::INITIAL_MASTER
                              : config::VrrpInstance::INITIAL_BACKUP);
  i->add_track_scripts()->set_name("chk_weight");
  i->add_track_scripts()->set_name("chk_fault");
  return c;
}

vrrp::Advert AdvertWith(uint8_t priority, uint16_t interval_cs = 100) {
  vrrp::Advert a;
  a.priority = priority;
  a.interval_cs = interval_cs;
  return a;
}

class InstanceTest : public ::testing::Test {
 protected:
  void Make(const config::Config& c, const char* own_address = "192.0.2.2") {
    config_ = c;
    instance_ = std::make_unique<Instance>(config_.instances(0), config_,
                                           Ip(own_address), &clock_, &actions_);
  }
  // Advances to just before and then to the deadline; returns what happened.
  void ExpectNothingUntil(Duration d) {
    clock_.Advance(d - microseconds(1));
    instance_->OnTimer();
    EXPECT_TRUE(actions_.Take().empty())
        << "acted before " << d.count() << " us";
    clock_.Advance(microseconds(1));
    instance_->OnTimer();
  }
  void StartAsMaster() {
    Make(MakeConfig(100, true), "192.0.2.1");
    instance_->Start();
    clock_.Advance(seconds(2));
    instance_->OnTimer();
    ASSERT_EQ(instance_->state(), State::kMaster);
    actions_.Take();
  }
  static Duration seconds(int s) { return Duration(int64_t{s} * 1'000'000); }

  FakeClock clock_;
  RecordingActions actions_;
  config::Config config_;
  std::unique_ptr<Instance> instance_;
};

TEST_F(InstanceTest, SkewAndMasterDownFollowRfc3768) {
  Make(MakeConfig(85, false));
  EXPECT_EQ(instance_->SkewTime(), microseconds((256 - 85) * 1'000'000 / 256));
  EXPECT_EQ(instance_->MasterDownInterval(), microseconds(3'000'000 + 667'968));
}

TEST_F(InstanceTest, FSM1_OwnerGoesMasterAtOnce) {
  Make(MakeConfig(255, false));
  instance_->Start();
  EXPECT_EQ(actions_.Take(),
            (std::vector<std::string>{"advert 255", "state MASTER", "active"}));
}

TEST_F(InstanceTest, FSM2_BackupTakesOverAfterExactlyMasterDownInterval) {
  Make(MakeConfig(85, false));
  instance_->Start();
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"state BACKUP"}));
  ExpectNothingUntil(instance_->MasterDownInterval());
  EXPECT_EQ(actions_.Take(),
            (std::vector<std::string>{"advert 85", "state MASTER", "active"}));
}

TEST_F(InstanceTest, StateMasterShortcutWaitsOneIntervalPlusSkew) {
  Make(MakeConfig(100, true));
  instance_->Start();
  actions_.Take();
  ExpectNothingUntil(seconds(1) + instance_->SkewTime());
  EXPECT_EQ(instance_->state(), State::kMaster);
}

TEST_F(InstanceTest, FSM3_BackupTakesOverAfterSkewOnPriorityZero) {
  Make(MakeConfig(85, false));
  instance_->Start();
  actions_.Take();
  clock_.Advance(seconds(1));
  instance_->OnAdvert(AdvertWith(0), Ip("192.0.2.1"));
  ExpectNothingUntil(instance_->SkewTime());
  EXPECT_EQ(instance_->state(), State::kMaster);
}

// The timers count from the kernel's receive time: the brain's own delay in
// getting to the advert (here 3 ms) is taken off, not added.
TEST_F(InstanceTest, DownTimersCountFromWhenTheAdvertArrived) {
  Make(MakeConfig(85, false));
  instance_->Start();
  actions_.Take();
  clock_.Advance(seconds(1));
  instance_->OnAdvert(AdvertWith(100), Ip("192.0.2.1"), microseconds(3'000));
  ExpectNothingUntil(instance_->MasterDownInterval() - microseconds(3'000));
  EXPECT_EQ(instance_->state(), State::kMaster);
  Make(MakeConfig(85, false));
  instance_->Start();
  actions_.Take();
  instance_->OnAdvert(AdvertWith(0), Ip("192.0.2.1"), microseconds(2'000));
  ExpectNothingUntil(instance_->SkewTime() - microseconds(2'000));
  EXPECT_EQ(instance_->state(), State::kMaster);
}

TEST_F(InstanceTest, FSM4_BackupDiscardsLowerPriorityWhenPreempting) {
  config::Config c = MakeConfig(100, false);
  c.mutable_instances(0)->set_rfc_preempt(true);  // vrrp_rfc_preempt
  Make(c);
  instance_->Start();
  Duration down = instance_->MasterDownInterval();
  // Adverts at 85 keep coming, but do not reset our timer: we preempt.
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(seconds(1));
    instance_->OnAdvert(AdvertWith(85), Ip("192.0.2.1"));
    instance_->OnTimer();
  }
  clock_.Advance(down - seconds(3));
  instance_->OnTimer();
  EXPECT_EQ(instance_->state(), State::kMaster);
}

// vigil's default: a lower-priority advert starts a Skew_Time countdown
// rather than being ignored until the down timer runs out.
TEST_F(InstanceTest, BackupPreemptsALowerPriorityMasterAfterSkewTime) {
  Make(MakeConfig(100, false));
  instance_->Start();
  clock_.Advance(seconds(1));
  instance_->OnAdvert(AdvertWith(85), Ip("192.0.2.1"));
  actions_.Take();
  ExpectNothingUntil(instance_->SkewTime());
  EXPECT_EQ(instance_->state(), State::kMaster);
  EXPECT_EQ(actions_.Take(),
            (std::vector<std::string>{"advert 100", "state MASTER", "active"}));
}

// A higher-priority advert inside the skew (the master recovered) cancels the
// takeover, as in the RFC.
TEST_F(InstanceTest, FastPreemptionYieldsToARecoveredMaster) {
  Make(MakeConfig(100, false));
  instance_->Start();
  clock_.Advance(seconds(1));
  instance_->OnAdvert(AdvertWith(85), Ip("192.0.2.1"));
  clock_.Advance(instance_->SkewTime() / 2);
  instance_->OnAdvert(AdvertWith(120), Ip("192.0.2.1"));
  actions_.Take();
  ExpectNothingUntil(instance_->MasterDownInterval());
  EXPECT_EQ(instance_->state(), State::kMaster);  // the master fell silent
}

TEST_F(InstanceTest, FSM4_NopreemptAcceptsLowerPriority) {
  Make(MakeConfig(100, false, /*nopreempt=*/true));
  instance_->Start();
  for (int i = 0; i < 10; ++i) {
    clock_.Advance(seconds(1));
    instance_->OnAdvert(AdvertWith(85), Ip("192.0.2.1"));
    instance_->OnTimer();
  }
  EXPECT_EQ(instance_->state(), State::kBackup);
}

TEST_F(InstanceTest, BackupResetsTimerOnHigherPriority) {
  Make(MakeConfig(85, false));
  instance_->Start();
  for (int i = 0; i < 10; ++i) {
    clock_.Advance(seconds(1));
    instance_->OnAdvert(AdvertWith(100), Ip("192.0.2.1"));
    instance_->OnTimer();
  }
  EXPECT_EQ(instance_->state(), State::kBackup);
}

TEST_F(InstanceTest, FSM5_V3BackupAdoptsTheMastersInterval) {
  Make(MakeConfig(100, false, false, /*version=*/3, /*interval_cs=*/100));
  instance_->Start();
  actions_.Take();
  instance_->OnAdvert(AdvertWith(200, /*interval_cs=*/10), Ip("192.0.2.1"));
  // 3 x 100 ms + (256 - 100) x 100 ms / 256.
  EXPECT_EQ(instance_->MasterDownInterval(), microseconds(300'000 + 60'937));
  ExpectNothingUntil(instance_->MasterDownInterval());
  EXPECT_EQ(instance_->state(), State::kMaster);
}

TEST_F(InstanceTest, TIM1_SkewKeepsPrecisionAt10ms) {
  Make(MakeConfig(254, false, false, 3, /*interval_cs=*/1));
  // (256 - 254) x 10 ms / 256 = 78.125 us, not truncated to 0.
  EXPECT_EQ(instance_->SkewTime(), microseconds(78));
  EXPECT_EQ(instance_->MasterDownInterval(), microseconds(30'078));
}

TEST_F(InstanceTest, FSM6_MasterYieldsToHigherPriority) {
  StartAsMaster();
  instance_->OnAdvert(AdvertWith(150), Ip("192.0.2.9"));
  EXPECT_EQ(actions_.Take(),
            (std::vector<std::string>{"inactive", "state BACKUP"}));
}

TEST_F(InstanceTest, FSM6_EqualPriorityTieBreakOnAddress) {
  StartAsMaster();  // own address 192.0.2.1
  instance_->OnAdvert(AdvertWith(100), Ip("192.0.2.0"));
  EXPECT_EQ(instance_->state(), State::kMaster);
  actions_.Take();
  // 192.0.2.10 is greater than 192.0.2.1 in network byte order (not as bytes
  // of a little-endian integer).
  instance_->OnAdvert(AdvertWith(100), Ip("192.0.2.10"));
  EXPECT_EQ(instance_->state(), State::kBackup);
}

TEST_F(InstanceTest, FSM6_Ipv6TieBreakComparesAddressBytes) {
  Make(MakeConfig(100, true, false, 3), "fe80::1:0");
  instance_->Start();
  clock_.Advance(seconds(2));
  instance_->OnTimer();
  ASSERT_EQ(instance_->state(), State::kMaster);
  instance_->OnAdvert(AdvertWith(100),
                      Ip("fe80::0:ffff"));  // smaller in byte order
  EXPECT_EQ(instance_->state(), State::kMaster);
  instance_->OnAdvert(AdvertWith(100), Ip("fe80::2:0"));
  EXPECT_EQ(instance_->state(), State::kBackup);
}

TEST_F(InstanceTest, FSM7_MasterReadvertisesOnLowerPriority) {
  StartAsMaster();
  instance_->OnAdvert(AdvertWith(50), Ip("192.0.2.9"));
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"advert 100"}));
  EXPECT_EQ(instance_->state(), State::kMaster);
}

TEST_F(InstanceTest, FSM8_MasterAnswersPriorityZeroWithAnAdvert) {
  StartAsMaster();
  instance_->OnAdvert(AdvertWith(0), Ip("192.0.2.9"));
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"advert 100"}));
}

TEST_F(InstanceTest, FSM9_ShutdownSendsPriorityZeroBeforeRemovingVips) {
  StartAsMaster();
  instance_->Shutdown();
  EXPECT_EQ(actions_.Take(),
            (std::vector<std::string>{"advert 0", "inactive", "state INIT"}));
  EXPECT_FALSE(instance_->NextDeadline().has_value());
}

TEST_F(InstanceTest, MasterAdvertisesEveryInterval) {
  StartAsMaster();
  for (int i = 0; i < 3; ++i) {
    ExpectNothingUntil(seconds(1));
    EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"advert 100"}));
  }
}

// The changed priority goes out at once, then on a schedule from there.
TEST_F(InstanceTest, WeightLowersTheAdvertisedPriorityAtOnce) {
  StartAsMaster();
  clock_.Advance(milliseconds(300));
  instance_->SetScriptState("chk_weight", false);
  EXPECT_EQ(instance_->priority(), 80);
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"advert 80"}));
  ExpectNothingUntil(seconds(1));
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"advert 80"}));
  instance_->SetScriptState("chk_weight", true);
  EXPECT_EQ(instance_->priority(), 100);
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"advert 100"}));
}

TEST_F(InstanceTest, ZeroWeightFailureEntersFaultWithPriorityZero) {
  StartAsMaster();
  instance_->SetScriptState("chk_fault", false);
  EXPECT_EQ(actions_.Take(),
            (std::vector<std::string>{"advert 0", "inactive", "state FAULT"}));
  // In FAULT: no adverts, no takeover, adverts ignored.
  clock_.Advance(seconds(10));
  instance_->OnTimer();
  instance_->OnAdvert(AdvertWith(0), Ip("192.0.2.9"));
  EXPECT_TRUE(actions_.Take().empty());
  instance_->SetScriptState("chk_fault", true);
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"state BACKUP"}));
  ExpectNothingUntil(instance_->MasterDownInterval());
  EXPECT_EQ(instance_->state(), State::kMaster);
}

TEST_F(InstanceTest, StartsInFaultWhenAScriptIsDownAlready) {
  Make(MakeConfig(100, true));
  instance_->SetScriptState("chk_fault", false);
  instance_->Start();
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"state FAULT"}));
}

// Supervision: a restarted brain resumes a master at once, without waiting
// for any timer, and then advertises on schedule.
TEST_F(InstanceTest, ResumedMasterAdvertisesAtOnce) {
  Make(MakeConfig(100, false));
  instance_->ResumeAsMaster();
  EXPECT_EQ(actions_.Take(),
            (std::vector<std::string>{"advert 100", "state MASTER", "active"}));
  ExpectNothingUntil(instance_->AdvertInterval());
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"advert 100"}));
}

TEST_F(InstanceTest, ResumeInFaultDoesNotClaimTheVips) {
  Make(MakeConfig(100, false));
  instance_->SetScriptState("chk_fault", false);
  instance_->ResumeAsMaster();
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"state FAULT"}));
}

// vigilctl demote: a master hands over at once, then advertises priority 1
// and so takes over only when nobody else answers; undemote restores it.
TEST_F(InstanceTest, DemotedMasterHandsOverAndComesBackWhenUndemoted) {
  StartAsMaster();
  ASSERT_TRUE(instance_->SetDemoted(true).ok());
  std::vector<std::string> log = actions_.Take();
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0].rfind("notice demoted", 0), 0u) << log[0];
  EXPECT_EQ(std::vector<std::string>(log.begin() + 1, log.end()),
            (std::vector<std::string>{"advert 0", "inactive", "state BACKUP"}));
  EXPECT_EQ(instance_->priority(), 1);
  // A peer at 50 keeps us backup: no preemption at priority 1.
  instance_->OnAdvert(AdvertWith(50), Ip("192.0.2.9"));
  EXPECT_EQ(instance_->master_address(), Ip("192.0.2.9"));
  ExpectNothingUntil(instance_->MasterDownInterval());
  EXPECT_EQ(actions_.Take(),
            (std::vector<std::string>{"advert 1", "state MASTER", "active"}))
      << "with nobody else left, a demoted router still takes over";
  ASSERT_TRUE(instance_->SetDemoted(false).ok());
  EXPECT_EQ(instance_->priority(), 100);
}

TEST_F(InstanceTest, AnOwnerCannotBeDemoted) {
  Make(MakeConfig(255, false, false, /*version=*/3));
  instance_->Start();
  EXPECT_FALSE(instance_->SetDemoted(true).ok());
  EXPECT_EQ(instance_->priority(), 255);
}

TEST_F(InstanceTest, FSM10_DuplicateOwnersElectByAddress) {
  config::Config c = MakeConfig(255, false, false, /*version=*/3);
  Make(c, "192.0.2.5");
  instance_->Start();
  actions_.Take();
  instance_->OnAdvert(AdvertWith(255), Ip("192.0.2.4"));  // smaller: we stay
  EXPECT_EQ(instance_->state(), State::kMaster);
  std::vector<std::string> log = actions_.Take();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].rfind("notice duplicate address owner 192.0.2.4", 0), 0u)
      << log[0];
  EXPECT_EQ(log[1], "advert 255");
  instance_->OnAdvert(AdvertWith(255), Ip("192.0.2.6"));  // greater: it wins
  EXPECT_EQ(instance_->state(), State::kBackup);
}

TEST_F(InstanceTest, PreemptDelayHoldsOffPreemptionAfterStart) {
  config::Config c = MakeConfig(100, false);
  c.mutable_instances(0)->set_preempt_delay_ms(10'000);
  Make(c);
  instance_->Start();
  // A lower-priority master is accepted for 10 s...
  for (int i = 0; i < 9; ++i) {
    clock_.Advance(seconds(1));
    instance_->OnAdvert(AdvertWith(85), Ip("192.0.2.1"));
    instance_->OnTimer();
  }
  EXPECT_EQ(instance_->state(), State::kBackup);
  // ...then preempted as usual.
  for (int i = 0; i < 6; ++i) {
    clock_.Advance(seconds(1));
    instance_->OnAdvert(AdvertWith(85), Ip("192.0.2.1"));
    instance_->OnTimer();
  }
  EXPECT_EQ(instance_->state(), State::kMaster);
}

TEST_F(InstanceTest, LateTimerKeepsTheScheduleWithoutBursts) {
  StartAsMaster();
  clock_.Advance(seconds(5));  // the process was stopped for 5 s
  instance_->OnTimer();
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"advert 100"}));
  instance_->OnTimer();
  EXPECT_TRUE(actions_.Take().empty()) << "caught up with a burst of adverts";
}

TEST_F(InstanceTest, ReconfigureKeepsStateAndTimersWithoutActions) {
  StartAsMaster();
  config::Config same = config_;
  same.mutable_instances(0)->set_location("moved.conf:40");
  instance_->Reconfigure(same.instances(0), same, instance_->own_address(), {});
  EXPECT_TRUE(actions_.Take().empty()) << "an unchanged reload is silent";
  EXPECT_EQ(instance_->state(), State::kMaster);
  ExpectNothingUntil(seconds(1));
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"advert 100"}))
      << "the advert timer kept its phase";
}

TEST_F(InstanceTest, ReconfigureAppliesPriorityAndAsksForNewVips) {
  StartAsMaster();
  config::Config changed = config_;
  changed.mutable_instances(0)->set_priority(120);
  changed.mutable_instances(0)->add_vips()->set_text("192.0.2.101");
  instance_->Reconfigure(changed.instances(0), changed,
                         instance_->own_address(),
                         TrackerStates{{{"chk_weight", false}}, {}, {}});
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"active"}))
      << "a master with a new VIP list asks for it again, no transition";
  EXPECT_EQ(instance_->priority(), 100) << "120 - 20: the known script state";
}

TEST_F(InstanceTest, ReconfigureIntoAFailedScriptEntersFault) {
  StartAsMaster();
  instance_->Reconfigure(config_.instances(0), config_,
                         instance_->own_address(),
                         TrackerStates{{{"chk_fault", false}}, {}, {}});
  EXPECT_EQ(actions_.Take(),
            (std::vector<std::string>{"advert 0", "inactive", "state FAULT"}));
}

TEST_F(InstanceTest, StartupDelayKeepsTheInstanceSilentFirst) {
  config::Config c = MakeConfig(100, false);
  c.mutable_instances(0)->set_startup_delay_ms(2000);
  Make(c);
  instance_->Start();
  std::vector<std::string> log = actions_.Take();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].rfind("notice vrrp_startup_delay", 0), 0u) << log[0];
  EXPECT_EQ(instance_->state(), State::kInit);
  ExpectNothingUntil(seconds(2));
  EXPECT_EQ(actions_.Take(), (std::vector<std::string>{"state BACKUP"}));
  // Then the usual Master_Down_Interval, counted from the real start.
  ExpectNothingUntil(instance_->MasterDownInterval());
  EXPECT_EQ(instance_->state(), State::kMaster);
}

}  // namespace
}  // namespace vigil::brain
