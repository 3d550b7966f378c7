#include "proto/proto_schema.h"

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "proto/schema.pb.h"

namespace vigil::proto_schema {

extern const std::string_view kDescriptorSet;  // descriptor_set.cc

namespace {

constexpr int kLabelRepeated = 3;

std::string Qualified(absl::string_view scope, absl::string_view name) {
  return scope.empty() ? std::string(name) : absl::StrCat(scope, ".", name);
}

}  // namespace

class SchemaBuilder {
 public:
  explicit SchemaBuilder(Schema& schema) : schema_(schema) {}

  void AddFile(const schema::FileSchema& file) {
    for (const schema::EnumSchemaProto& e : file.enum_type())
      AddEnum(file.package(), e);
    for (const schema::MessageSchemaProto& m : file.message_type())
      AddMessage(file.package(), m);
  }

 private:
  void AddEnum(absl::string_view scope, const schema::EnumSchemaProto& e) {
    auto& values = schema_.enums_[Qualified(scope, e.name())];
    for (const schema::EnumValueSchemaProto& value : e.value())
      values.emplace(value.number(), value.name());
  }

  void AddMessage(absl::string_view scope,
                  const schema::MessageSchemaProto& proto) {
    Message message;
    message.full_name = Qualified(scope, proto.name());
    message.map_entry = proto.options().map_entry();
    for (const schema::FieldSchemaProto& f : proto.field())
      message.fields.push_back(MakeField(f));
    for (const schema::EnumSchemaProto& e : proto.enum_type())
      AddEnum(message.full_name, e);
    for (const schema::MessageSchemaProto& nested : proto.nested_type())
      AddMessage(message.full_name, nested);
    std::string key = message.full_name;
    schema_.messages_.insert_or_assign(std::move(key), std::move(message));
  }

  static Field MakeField(const schema::FieldSchemaProto& proto) {
    Field field;
    field.name = proto.name();
    field.number = proto.number();
    field.type = static_cast<FieldType>(proto.type());
    field.repeated = proto.label() == kLabelRepeated;
    field.type_name = proto.type_name();
    if (!field.type_name.empty() && field.type_name.front() == '.')
      field.type_name.erase(0, 1);
    field.has_presence =
        !field.repeated && (field.type == FieldType::kMessage ||
                            proto.has_oneof_index() || proto.proto3_optional());
    return field;
  }

  Schema& schema_;
};

const Field* Message::Find(absl::string_view name) const {
  for (const Field& field : fields)
    if (field.name == name) return &field;
  return nullptr;
}

absl::StatusOr<Schema> Schema::Parse(absl::string_view descriptor_set) {
  schema::SchemaSet set;
  if (!set.ParseFromArray(descriptor_set.data(),
                          static_cast<int>(descriptor_set.size())))
    return absl::InvalidArgumentError("descriptor set does not parse");
  Schema schema;
  SchemaBuilder builder(schema);
  for (const schema::FileSchema& file : set.file()) builder.AddFile(file);
  return schema;
}

const Schema& Schema::Vigil() {
  // Built at first use; the embedded set comes from this very build, so it
  // parses (a unit test checks it).
  static const Schema* const schema = [] {
    absl::StatusOr<Schema> parsed =
        Parse(absl::string_view(kDescriptorSet.data(), kDescriptorSet.size()));
    return new Schema(parsed.ok() ? std::move(*parsed) : Schema());
  }();
  return *schema;
}

const Message* Schema::FindMessage(absl::string_view full_name) const {
  auto it = messages_.find(full_name);
  return it == messages_.end() ? nullptr : &it->second;
}

absl::string_view Schema::EnumValueName(absl::string_view enum_name,
                                        int32_t number) const {
  auto e = enums_.find(enum_name);
  if (e == enums_.end()) return {};
  auto value = e->second.find(number);
  return value == e->second.end() ? absl::string_view() : value->second;
}

}  // namespace vigil::proto_schema
