#include "checker/script_output.h"

#include <unistd.h>

#include <string>

#include "gtest/gtest.h"

namespace vigil::checker {
namespace {

TEST(ScriptOutput, KeepsTheHeadReadsTheRestAndSeesTheEnd) {
  auto opened = ScriptOutput::Open();
  ASSERT_TRUE(opened.ok()) << opened.status();
  auto& [output, script_end] = *opened;
  std::string first = "disk /var is 97% full\tsee df\nsecond line\n";
  ASSERT_EQ(write(script_end.get(), first.data(), first.size()),
            static_cast<ssize_t>(first.size()));
  // 4 MB more, in pipe-sized pieces, drained as a flood would be.
  std::string chunk(60000, 'x');
  uint64_t written = first.size();
  for (int i = 0; i < 70; ++i) {
    ASSERT_EQ(write(script_end.get(), chunk.data(), chunk.size()),
              static_cast<ssize_t>(chunk.size()));
    written += chunk.size();
    EXPECT_TRUE(output.Drain());  // pipe empty, writer still there
  }
  script_end.Reset();
  EXPECT_FALSE(output.Drain());  // end of file
  EXPECT_EQ(output.total_bytes(), written);
  EXPECT_EQ(output.FirstLine(), "disk /var is 97% full?see df");
}

TEST(ScriptOutput, NothingWrittenIsAnEmptyLine) {
  auto opened = ScriptOutput::Open();
  ASSERT_TRUE(opened.ok());
  auto& [output, script_end] = *opened;
  EXPECT_TRUE(output.Drain());
  script_end.Reset();
  EXPECT_FALSE(output.Drain());
  EXPECT_EQ(output.FirstLine(), "");
  EXPECT_EQ(output.total_bytes(), 0u);
}

}  // namespace
}  // namespace vigil::checker
