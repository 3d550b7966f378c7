#include "daemon/vrid_index.h"

#include "gtest/gtest.h"

namespace vigil::brain {
namespace {

// The index only compares and returns the pointers: distinct addresses are
// all it needs, not real sockets and instances.
struct Fakes {
  char storage[4];
  const AdvertSocket* socket(int n) const {
    return reinterpret_cast<const AdvertSocket*>(&storage[n]);
  }
  Instance* instance(int n) { return reinterpret_cast<Instance*>(&storage[n]); }
};

TEST(VridIndex, FindsBySocketAndVrid) {
  Fakes f;
  VridIndex index;
  index.Set(f.socket(1), 51, f.instance(0));
  index.Set(f.socket(0), 51, f.instance(1));
  index.Set(f.socket(0), 7, f.instance(2));
  EXPECT_EQ(index.Find(f.socket(1), 51), f.instance(0));
  EXPECT_EQ(index.Find(f.socket(0), 51), f.instance(1));
  EXPECT_EQ(index.Find(f.socket(0), 7), f.instance(2));
  EXPECT_EQ(index.Find(f.socket(1), 7), nullptr);
  EXPECT_EQ(index.Find(f.socket(2), 51), nullptr);
}

TEST(VridIndex, SetReplacesAndEraseForgetsAnInstance) {
  Fakes f;
  VridIndex index;
  index.Set(f.socket(0), 1, f.instance(0));
  index.Set(f.socket(0), 1, f.instance(1));  // a reload placed another
  EXPECT_EQ(index.Find(f.socket(0), 1), f.instance(1));
  index.Set(f.socket(0), 2, f.instance(2));
  index.Erase(f.instance(1));
  EXPECT_EQ(index.Find(f.socket(0), 1), nullptr);
  EXPECT_EQ(index.Find(f.socket(0), 2), f.instance(2));
  index.Clear();
  EXPECT_EQ(index.Find(f.socket(0), 2), nullptr);
}

}  // namespace
}  // namespace vigil::brain
