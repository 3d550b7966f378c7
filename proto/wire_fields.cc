#include "proto/wire_fields.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace vigil::proto_schema {
namespace {

class Reader {
 public:
  explicit Reader(absl::string_view data) : data_(data) {}
  bool done() const { return data_.empty(); }

  absl::StatusOr<uint64_t> Varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (data_.empty()) return absl::InvalidArgumentError("truncated varint");
      auto byte = static_cast<uint8_t>(data_.front());
      data_.remove_prefix(1);
      value |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return absl::InvalidArgumentError("varint longer than 10 bytes");
  }

  absl::StatusOr<absl::string_view> Bytes(size_t size) {
    if (size > data_.size())
      return absl::InvalidArgumentError(
          absl::StrCat("field of ", size, " bytes, ", data_.size(), " left"));
    absl::string_view out = data_.substr(0, size);
    data_.remove_prefix(size);
    return out;
  }

  absl::StatusOr<uint64_t> Fixed(size_t size) {
    absl::StatusOr<absl::string_view> bytes = Bytes(size);
    if (!bytes.ok()) return bytes.status();
    uint64_t value = 0;  // little-endian on the wire
    for (size_t i = size; i-- > 0;)
      value = value << 8 | static_cast<uint8_t>((*bytes)[i]);
    return value;
  }

  absl::StatusOr<WireValue> Value(WireValue::Kind kind) {
    WireValue value{kind, 0, {}};
    absl::StatusOr<uint64_t> number;
    switch (kind) {
      case WireValue::Kind::kVarint:
        number = Varint();
        break;
      case WireValue::Kind::kFixed64:
        number = Fixed(8);
        break;
      case WireValue::Kind::kFixed32:
        number = Fixed(4);
        break;
      case WireValue::Kind::kLengthDelimited: {
        absl::StatusOr<uint64_t> size = Varint();
        if (!size.ok()) return size.status();
        absl::StatusOr<absl::string_view> bytes = Bytes(*size);
        if (!bytes.ok()) return bytes.status();
        value.bytes = *bytes;
        return value;
      }
    }
    if (!number.ok()) return number.status();
    value.number = *number;
    return value;
  }

 private:
  absl::string_view data_;
};

absl::StatusOr<WireValue::Kind> KindOf(uint64_t wire_type) {
  switch (wire_type) {
    case 0:
      return WireValue::Kind::kVarint;
    case 1:
      return WireValue::Kind::kFixed64;
    case 2:
      return WireValue::Kind::kLengthDelimited;
    case 5:
      return WireValue::Kind::kFixed32;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unsupported wire type ", wire_type));
}

}  // namespace

absl::StatusOr<WireFields> DecodeFields(absl::string_view encoded) {
  WireFields fields;
  Reader reader(encoded);
  while (!reader.done()) {
    absl::StatusOr<uint64_t> tag = reader.Varint();
    if (!tag.ok()) return tag.status();
    uint64_t number = *tag >> 3;
    if (number == 0 || number > 536870911)
      return absl::InvalidArgumentError(
          absl::StrCat("field number ", number, " out of range"));
    absl::StatusOr<WireValue::Kind> kind = KindOf(*tag & 7);
    if (!kind.ok()) return kind.status();
    absl::StatusOr<WireValue> value = reader.Value(*kind);
    if (!value.ok()) return value.status();
    fields[static_cast<int>(number)].push_back(*value);
  }
  return fields;
}

absl::StatusOr<std::vector<WireValue>> UnpackList(absl::string_view packed,
                                                  WireValue::Kind element) {
  std::vector<WireValue> values;
  Reader reader(packed);
  while (!reader.done()) {
    absl::StatusOr<WireValue> value = reader.Value(element);
    if (!value.ok()) return value.status();
    values.push_back(*value);
  }
  return values;
}

}  // namespace vigil::proto_schema
