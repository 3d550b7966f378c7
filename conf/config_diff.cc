#include "conf/config_diff.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/instance_family.h"
#include "google/protobuf/descriptor.h"

namespace vigil::conf {
namespace {

using google::protobuf::FieldDescriptor;
using Kind = InstanceDiff::Kind;

// Fields that change who the instance is on the wire.
bool NeedsRestart(const std::string& field) {
  return field == "interface" || field == "vrid" || field == "version";
}

// The instance with every field but `keep` cleared, serialized.
std::string OnlyField(const config::VrrpInstance& instance,
                      const FieldDescriptor* keep) {
  config::VrrpInstance copy = instance;
  const auto* descriptor = copy.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    if (descriptor->field(i) != keep)
      copy.GetReflection()->ClearField(&copy, descriptor->field(i));
  }
  return copy.SerializeAsString();
}

// Names of the fields that differ; `location` is where the block sits in the
// file, not what it says, so moving a block changes nothing.
std::vector<std::string> ChangedFields(const config::VrrpInstance& a,
                                       const config::VrrpInstance& b) {
  std::vector<std::string> fields;
  const auto* descriptor = config::VrrpInstance::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (field->name() == "location") continue;
    if (OnlyField(a, field) != OnlyField(b, field))
      fields.push_back(field->name());
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
