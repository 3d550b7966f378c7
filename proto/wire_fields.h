#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vigil::proto_schema {

// One value of a field as encoded: a varint or fixed-width number, or the
// bytes of a length-delimited one (string, bytes, message, packed list).
struct WireValue {
  enum class Kind { kVarint, kFixed64, kLengthDelimited, kFixed32 };
  Kind kind;
  uint64_t number = 0;
  absl::string_view bytes;
  bool operator==(const WireValue&) const = default;
};

// The values of an encoded message by field number, each field's in the
// order they appear. Views into `encoded`, which must outlive the result.
// Fails on malformed input (truncated, unknown wire type, group).
using WireFields = std::map<int, std::vector<WireValue>>;
absl::StatusOr<WireFields> DecodeFields(absl::string_view encoded);

// A packed list of varints, fixed32s or fixed64s split into its elements.
absl::StatusOr<std::vector<WireValue>> UnpackList(absl::string_view packed,
                                                  WireValue::Kind element);

}  // namespace vigil::proto_schema
