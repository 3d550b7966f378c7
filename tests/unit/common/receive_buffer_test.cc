#include "common/receive_buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "gtest/gtest.h"

namespace vigil {
namespace {

constexpr size_t kSize = 1 << 20;

// Pages of [data, data + size) the kernel has backed (mincore).
size_t ResidentBytes(char* data, size_t size) {
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> pages((size + page - 1) / page);
  EXPECT_EQ(mincore(data, size, pages.data()), 0);
  size_t resident = 0;
  for (unsigned char p : pages) resident += (p & 1) ? page : 0;
  return resident;
}

TEST(ReceiveBuffer, OnlyWrittenPagesAreResident) {
  ReceiveBuffer buffer(kSize);
  char* data = buffer.data();
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(ResidentBytes(data, kSize), 0u);
  std::memset(data, 1, 10000);
  EXPECT_GE(ResidentBytes(data, kSize), 10000u);
  EXPECT_LT(ResidentBytes(data, kSize), kSize / 4);
}

TEST(ReceiveBuffer, ALargeMessageGivesItsPagesBack) {
  ReceiveBuffer buffer(kSize);
  char* data = buffer.data();
  ASSERT_NE(data, nullptr);
  std::memset(data, 1, kSize);
  ASSERT_EQ(ResidentBytes(data, kSize), kSize);
  buffer.Release(kSize - 100);
  EXPECT_EQ(ResidentBytes(data, kSize), ReceiveBuffer::kKeptBytes);
  EXPECT_EQ(data[0], 1);  // the kept part is untouched
  // The buffer still works: released pages come back zeroed on use.
  EXPECT_EQ(data[kSize - 1], 0);
  data[kSize - 1] = 2;
  EXPECT_EQ(data[kSize - 1], 2);
}

TEST(ReceiveBuffer, ASmallMessageKeepsItsPages) {
  ReceiveBuffer buffer(kSize);
  char* data = buffer.data();
  ASSERT_NE(data, nullptr);
  std::memset(data, 1, ReceiveBuffer::kKeptBytes);
  buffer.Release(ReceiveBuffer::kKeptBytes);
  EXPECT_EQ(ResidentBytes(data, kSize), ReceiveBuffer::kKeptBytes);
}

TEST(ReceiveBuffer, MovesItsMapping) {
  ReceiveBuffer first(kSize);
  char* data = first.data();
  ASSERT_NE(data, nullptr);
  data[0] = 7;
  ReceiveBuffer second = std::move(first);
  EXPECT_EQ(second.data(), data);
  EXPECT_EQ(second.data()[0], 7);
}

}  // namespace
}  // namespace vigil
