#include "proto/wire_fields.h"

#include <gtest/gtest.h>

namespace vigil::proto_schema {
namespace {

using Kind = WireValue::Kind;

TEST(WireFields, DecodesEachWireTypeInOrder) {
  // field 1 varint 300, field 2 "hi", field 3 fixed32 1, field 4 fixed64 2,
  // field 1 again: 1.
  std::string encoded(
      "\x08\xac\x02\x12\x02hi\x1d\x01\x00\x00\x00"
      "\x21\x02\x00\x00\x00\x00\x00\x00\x00\x08\x01",
      23);
  absl::StatusOr<WireFields> fields = DecodeFields(encoded);
  ASSERT_TRUE(fields.ok()) << fields.status();
  ASSERT_EQ((*fields)[1].size(), 2u);
  EXPECT_EQ((*fields)[1][0].number, 300u);
  EXPECT_EQ((*fields)[1][1].number, 1u);
  EXPECT_EQ((*fields)[2][0].kind, Kind::kLengthDelimited);
  EXPECT_EQ((*fields)[2][0].bytes, "hi");
  EXPECT_EQ((*fields)[3][0].number, 1u);
  EXPECT_EQ((*fields)[4][0].number, 2u);
}

TEST(WireFields, RefusesMalformedInput) {
  EXPECT_FALSE(DecodeFields("\x08").ok());  // varint cut short
  EXPECT_FALSE(DecodeFields("\x0a\x05"
                            "ab")
                   .ok());                  // length past end
  EXPECT_FALSE(DecodeFields("\x0b").ok());  // group start
  EXPECT_FALSE(DecodeFields(absl::string_view("\x00\x01", 2)).ok());  // field 0
  EXPECT_FALSE(DecodeFields("\x1d\x01\x00").ok());  // fixed32 cut short
  EXPECT_FALSE(
      DecodeFields("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01").ok());
}

TEST(WireFields, UnpacksPackedLists) {
  absl::StatusOr<std::vector<WireValue>> list =
      UnpackList("\x01\x96\x01\x03", Kind::kVarint);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[1].number, 150u);
  EXPECT_FALSE(UnpackList("\x01\x02\x03", Kind::kFixed32).ok());
}

}  // namespace
}  // namespace vigil::proto_schema
