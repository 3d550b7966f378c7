#include "common/ipc_channel.h"

#include <sys/socket.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "proto/ipc.pb.h"

namespace vigil {
namespace {

class IpcChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pair = IpcChannel::CreatePair();
    ASSERT_TRUE(pair.ok());
    raw_peer_ = pair->second.get();
    a_.emplace(std::move(pair->first), "a");
    b_.emplace(std::move(pair->second), "b");
  }
  std::optional<IpcChannel> a_;
  std::optional<IpcChannel> b_;
  int raw_peer_ = -1;
};

TEST_F(IpcChannelTest, RoundTripsAnEnvelope) {
  ipc::BrainToAgent out;
  out.set_seq(7);
  out.mutable_set_active()->set_instance("HA_1");
  out.mutable_set_active()->set_active(true);
  ASSERT_TRUE(a_->Send(out).ok());
  ipc::BrainToAgent in;
  absl::StatusOr<bool> got = b_->Receive(&in);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_TRUE(*got);
  EXPECT_EQ(in.seq(), 7u);
  EXPECT_EQ(in.set_active().instance(), "HA_1");
  EXPECT_TRUE(in.set_active().active());
}

TEST_F(IpcChannelTest, NothingWaitingIsNotAnError) {
  ipc::BrainToAgent in;
  absl::StatusOr<bool> got = b_->Receive(&in);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(*got);
}

TEST_F(IpcChannelTest, CorkedMessagesLeaveTogetherInOrder) {
  a_->Cork();
  for (uint64_t seq : {1, 2, 3}) {
    ipc::BrainToAgent out;
    out.set_seq(seq);
    ASSERT_TRUE(a_->Send(out).ok());
  }
  ipc::BrainToAgent in;
  absl::StatusOr<bool> got = b_->Receive(&in);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(*got) << "a corked message left before Uncork";
  ASSERT_TRUE(a_->Uncork().ok());
  for (uint64_t seq : {1, 2, 3}) {
    got = b_->Receive(&in);
    ASSERT_TRUE(got.ok() && *got);
    EXPECT_EQ(in.seq(), seq);
  }
  // Uncorked again: the next message leaves at once.
  ipc::BrainToAgent out;
  out.set_seq(4);
  ASSERT_TRUE(a_->Send(out).ok());
  got = b_->Receive(&in);
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ(in.seq(), 4u);
}

TEST_F(IpcChannelTest, PassesFds) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  ipc::AgentToBrain setup;
  setup.mutable_setup()->add_sockets()->set_interface("eth0");
  int fds[] = {write_end.get()};
  ASSERT_TRUE(a_->Send(setup, fds).ok());
  ipc::AgentToBrain in;
  std::vector<UniqueFd> received;
  ASSERT_TRUE(b_->Receive(&in, &received).value());
  ASSERT_EQ(received.size(), 1u);
  ASSERT_EQ(write(received[0].get(), "x", 1), 1);
  char c;
  EXPECT_EQ(read(read_end.get(), &c, 1), 1);
  EXPECT_EQ(c, 'x');
}

TEST_F(IpcChannelTest, RefusesFdsWhereNoneAreAllowed) {
  int fds[] = {0};
  ipc::CheckerToBrain out;
  out.mutable_script_state()->set_script("s");
  ASSERT_TRUE(a_->Send(out, fds).ok());
  ipc::CheckerToBrain in;
  absl::StatusOr<bool> got = b_->Receive(&in);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("carries fds"), std::string::npos);
}

TEST_F(IpcChannelTest, RejectsGarbage) {
  const char junk[] = "\xff\xff\xff\xff\xff";
  ASSERT_GT(send(a_->fd(), junk, sizeof junk, 0), 0);
  ipc::BrainToAgent in;
  absl::StatusOr<bool> got = b_->Receive(&in);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  // The channel keeps working after a bad datagram.
  ipc::BrainToAgent good;
  good.set_seq(1);
  good.mutable_set_active()->set_instance("x");
  ASSERT_TRUE(a_->Send(good).ok());
  EXPECT_TRUE(b_->Receive(&in).value());
}

TEST_F(IpcChannelTest, RejectsOversizeDatagrams) {
  std::string big(IpcChannel::kMaxMessageSize + 100, 'x');
  ASSERT_GT(send(a_->fd(), big.data(), big.size(), 0), 0);
  ipc::BrainToAgent in;
  absl::StatusOr<bool> got = b_->Receive(&in);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("larger than"), std::string::npos);
}

TEST_F(IpcChannelTest, PeerGoneIsUnavailable) {
  a_.reset();
  ipc::BrainToAgent in;
  absl::StatusOr<bool> got = b_->Receive(&in);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(IpcChannelTest, RefusesToSendAnEmptyEnvelope) {
  ipc::BrainToAgent empty;
  EXPECT_FALSE(a_->Send(empty).ok());
}

}  // namespace
}  // namespace vigil
