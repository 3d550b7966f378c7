#include "conf/config_diff.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/instance_family.h"
#include "proto/proto_schema.h"
#include "proto/wire_fields.h"

namespace vigil::conf {
namespace {

using Kind = InstanceDiff::Kind;

// Fields that change who the instance is on the wire.
bool NeedsRestart(const std::string& field) {
  return field == "interface" || field == "vrid" || field == "version";
}

// A field's encoded values; none when absent.
const std::vector<proto_schema::WireValue>& Values(
    const proto_schema::WireFields& fields, int number) {
  static const std::vector<proto_schema::WireValue> kNone;
  auto found = fields.find(number);
  return found == fields.end() ? kNone : found->second;
}

// Names of the fields that differ, compared as encoded; `location` is where
// the block sits in the file, not what it says, so moving a block changes
// nothing. (A config's instances carry no maps, whose encoding has no order.)
std::vector<std::string> ChangedFields(const config::VrrpInstance& a,
                                       const config::VrrpInstance& b) {
  const proto_schema::Message* type =
      proto_schema::Schema::Vigil().FindMessage(a.GetTypeName());
  std::string encoded_a = a.SerializeAsString();
  std::string encoded_b = b.SerializeAsString();
  absl::StatusOr<proto_schema::WireFields> fields_a =
      proto_schema::DecodeFields(encoded_a);
  absl::StatusOr<proto_schema::WireFields> fields_b =
      proto_schema::DecodeFields(encoded_b);
  if (type == nullptr || !fields_a.ok() || !fields_b.ok())
    return {"everything"};  // cannot happen for messages we encoded
  std::vector<std::string> fields;
  for (const proto_schema::Field& field : type->fields) {
    if (field.name == "location") continue;
    if (Values(*fields_a, field.number) != Values(*fields_b, field.number))
      fields.push_back(field.name);
  }
  return fields;
}

InstanceDiff Compare(const config::VrrpInstance& before,
                     const config::VrrpInstance& after) {
  InstanceDiff diff{after.name(), Kind::kUnchanged,
                    ChangedFields(before, after)};
  if (diff.fields.empty()) return diff;
  diff.kind = Kind::kChanged;
  bool restart = InstanceFamily(before) != InstanceFamily(after);
  for (const std::string& field : diff.fields) restart |= NeedsRestart(field);
  if (restart) diff.kind = Kind::kReplaced;
  return diff;
}

}  // namespace

std::vector<InstanceDiff> DiffInstances(const config::Config& before,
                                        const config::Config& after) {
  std::vector<InstanceDiff> diff;
  std::set<std::string> kept;
  for (const config::VrrpInstance& instance : after.instances()) {
    const config::VrrpInstance* old = nullptr;
    for (const config::VrrpInstance& candidate : before.instances())
      if (candidate.name() == instance.name()) old = &candidate;
    if (old == nullptr) {
      diff.push_back({instance.name(), Kind::kAdded, {}});
      continue;
    }
    kept.insert(instance.name());
    diff.push_back(Compare(*old, instance));
  }
  for (const config::VrrpInstance& instance : before.instances()) {
    if (!kept.count(instance.name()))
      diff.push_back({instance.name(), Kind::kRemoved, {}});
  }
  return diff;
}

std::string DescribeDiff(const std::vector<InstanceDiff>& diff) {
  std::vector<std::string> unchanged, changed, replaced, added, removed;
  for (const InstanceDiff& d : diff) {
    std::string with_fields =
        absl::StrCat(d.name, " (", absl::StrJoin(d.fields, ", "), ")");
    switch (d.kind) {
      case Kind::kUnchanged:
        unchanged.push_back(d.name);
        break;
      case Kind::kChanged:
        changed.push_back(with_fields);
        break;
      case Kind::kReplaced:
        replaced.push_back(with_fields);
        break;
      case Kind::kAdded:
        added.push_back(d.name);
        break;
      case Kind::kRemoved:
        removed.push_back(d.name);
        break;
    }
  }
  std::vector<std::string> parts;
  auto part = [&](const char* label, const std::vector<std::string>& names) {
    if (!names.empty())
      parts.push_back(absl::StrCat(label, ": ", absl::StrJoin(names, ", ")));
  };
  part("unchanged", unchanged);
  part("changed in place", changed);
  part("restarted", replaced);
  part("added", added);
  part("removed", removed);
  return parts.empty() ? "no instances" : absl::StrJoin(parts, "; ");
}

}  // namespace vigil::conf
