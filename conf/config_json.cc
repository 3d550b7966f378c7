#include "conf/config_json.h"

#include "common/ip_address.h"
#include "proto/proto_json.h"

namespace vigil::conf {
namespace {

using proto_schema::Field;
using proto_schema::FieldType;

// Addresses are kept as raw bytes; they print as people write them.
std::string ConfigText(const Field& field, absl::string_view value) {
  if (field.name == "auth_pass" && !value.empty()) return "********";
  if (field.type == FieldType::kBytes) {
    std::optional<IpAddress> address = IpAddress::FromBytes(value);
    if (address) return address->ToString();
  }
  return std::string(value);
}

}  // namespace

std::string ConfigToJson(const config::Config& config) {
  proto_schema::JsonStyle style;
  style.indent = 2;
  style.every_field = true;
  style.quote_64bit = false;
  style.text = ConfigText;
  return proto_schema::ToJson(config, style);
}

}  // namespace vigil::conf
