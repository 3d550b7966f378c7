#include "checker/notify_queue.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vigil::checker {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Records what would have run; pids count up from 100.
struct FakeProcesses {
  std::vector<Command> started;
  std::vector<pid_t> killed;
  pid_t next_pid = 100;
  NotifyQueue queue{[this](const Command& c) -> absl::StatusOr<pid_t> {
                      started.push_back(c);
                      return next_pid++;
                    },
                    [this](pid_t pid) { killed.push_back(pid); }};
};

TimePoint At(int seconds) { return TimePoint(std::chrono::seconds(seconds)); }

config::VrrpInstance WithNotify() {
  config::VrrpInstance instance;
  instance.set_name("VI_1");
  instance.mutable_notify()->add_master("/bin/to_master");
  instance.mutable_notify()->add_fault("/bin/to_fault");
  instance.mutable_notify()->add_fault("--quick");
  instance.mutable_notify()->add_any("/bin/any");
  return instance;
}

TEST(NotifyCommands, OwnScriptThenGenericWithKeepalivedArguments) {
  EXPECT_THAT(NotifyCommands(WithNotify().notify(), "INSTANCE", "VI_1",
                             ipc::InstanceState::MASTER, 100),
              ElementsAre(ElementsAre("/bin/to_master"),
                          ElementsAre("/bin/any", "INSTANCE", "VI_1", "MASTER",
                                      "100")));
  EXPECT_THAT(
      NotifyCommands(WithNotify().notify(), "INSTANCE", "VI_1",
                     ipc::InstanceState::FAULT, 0),
      ElementsAre(ElementsAre("/bin/to_fault", "--quick"),
                  ElementsAre("/bin/any", "INSTANCE", "VI_1", "FAULT", "0")));
  EXPECT_THAT(
      NotifyCommands(WithNotify().notify(), "INSTANCE", "VI_1",
                     ipc::InstanceState::STOP, 100),
      ElementsAre(ElementsAre("/bin/any", "INSTANCE", "VI_1", "STOP", "100")));
  EXPECT_THAT(NotifyCommands(config::NotifyScripts(), "INSTANCE", "VI_1",
                             ipc::InstanceState::BACKUP, 100),
              IsEmpty());
  config::NotifyScripts group;
  group.add_any("/bin/g");
  EXPECT_THAT(
      NotifyCommands(group, "GROUP", "G1", ipc::InstanceState::BACKUP, 85),
      ElementsAre(ElementsAre("/bin/g", "GROUP", "G1", "BACKUP", "85")));
}

TEST(NotifyQueue, OneAtATimePerInstanceInTransitionOrder) {
  FakeProcesses p;
  p.queue.Add("VI_1", {{"master"}}, At(0));
  p.queue.Add("VI_1", {{"backup"}}, At(0));
  p.queue.Add("VI_2", {{"other"}}, At(0));
  // VI_2 does not wait for VI_1; VI_1's second waits for its first.
  EXPECT_THAT(p.started,
              ElementsAre(ElementsAre("master"), ElementsAre("other")));
  EXPECT_FALSE(p.queue.idle());
  EXPECT_TRUE(p.queue.OnExit(100, At(1)));
  EXPECT_THAT(p.started.back(), ElementsAre("backup"));
  EXPECT_FALSE(p.queue.OnExit(999, At(1))) << "not a notify process";
  EXPECT_TRUE(p.queue.OnExit(101, At(1)));
  EXPECT_TRUE(p.queue.OnExit(102, At(2)));
  EXPECT_TRUE(p.queue.idle());
}

TEST(NotifyQueue, AHungScriptIsKilledAtTheLimitAndTheNextRuns) {
  FakeProcesses p;
  p.queue.Add("VI_1", {{"hangs"}, {"next"}}, At(0));
  EXPECT_EQ(p.queue.NextDeadline(), At(0) + NotifyQueue::kLimit);
  p.queue.KillOverdue(At(59));
  EXPECT_THAT(p.killed, IsEmpty());
  p.queue.KillOverdue(At(60));
  EXPECT_THAT(p.killed, ElementsAre(100));
  p.queue.KillOverdue(At(61));
  EXPECT_THAT(p.killed, ElementsAre(100)) << "killed once";
  EXPECT_EQ(p.queue.NextDeadline(), std::nullopt);
  p.queue.OnExit(100, At(61));
  EXPECT_THAT(p.started.back(), ElementsAre("next"));
}

TEST(NotifyQueue, ACommandThatCannotStartIsSkipped) {
  int calls = 0;
  NotifyQueue queue(
      [&](const Command&) -> absl::StatusOr<pid_t> {
        if (++calls == 1) return absl::InternalError("fork failed");
        return 7;
      },
      [](pid_t) {});
  queue.Add("VI_1", {{"first"}, {"second"}}, At(0));
  EXPECT_EQ(calls, 2);
  EXPECT_FALSE(queue.idle());
  queue.OnExit(7, At(1));
  EXPECT_TRUE(queue.idle());
}

}  // namespace
}  // namespace vigil::checker
