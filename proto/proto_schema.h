#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vigil::proto_schema {

// descriptor.proto's field types (FieldDescriptorProto.Type).
enum class FieldType {
  kDouble = 1,
  kFloat = 2,
  kInt64 = 3,
  kUint64 = 4,
  kInt32 = 5,
  kFixed64 = 6,
  kFixed32 = 7,
  kBool = 8,
  kString = 9,
  kGroup = 10,
  kMessage = 11,
  kBytes = 12,
  kUint32 = 13,
  kEnum = 14,
  kSfixed32 = 15,
  kSfixed64 = 16,
  kSint32 = 17,
  kSint64 = 18,
};

struct Field {
  std::string name;
  int number = 0;
  FieldType type = FieldType::kInt32;
  bool repeated = false;
  std::string type_name;  // messages and enums: full name, no leading dot
  // Set only when present (message, oneof member, proto3 optional), where a
  // plain proto3 scalar reads as zero when absent.
  bool has_presence = false;
};

struct Message {
  std::string full_name;
  std::vector<Field> fields;  // in declaration order
  bool map_entry = false;     // the entry of a map<K, V>: key 1, value 2
  const Field* Find(absl::string_view name) const;
};

// Names and types of messages, for code on protobuf's lite runtime (which
// has none): from a descriptor set protoc wrote at build time.
class Schema {
 public:
  // vigil's own messages (config, control, ipc), embedded at build time.
  static const Schema& Vigil();
  static absl::StatusOr<Schema> Parse(absl::string_view descriptor_set);

  const Message* FindMessage(absl::string_view full_name) const;
  // An enum value's name; empty if the number has none.
  absl::string_view EnumValueName(absl::string_view enum_name,
                                  int32_t number) const;

 private:
  std::map<std::string, Message, std::less<>> messages_;
  std::map<std::string, std::map<int32_t, std::string>, std::less<>> enums_;
  friend class SchemaBuilder;
};

}  // namespace vigil::proto_schema
