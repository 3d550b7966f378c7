#include "conf/config_json.h"

#include "absl/strings/str_cat.h"
#include "common/ip_address.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace vigil::conf {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Quote(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(
              &out, "\\u00",
              absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

class JsonWriter {
 public:
  std::string Write(const Message& message) {
    Object(message, 0);
    out_ += "\n";
    return std::move(out_);
  }

 private:
  void Indent(int depth) { out_.append(static_cast<size_t>(depth) * 2, ' '); }

  void Object(const Message& message, int depth) {
    const auto* descriptor = message.GetDescriptor();
    out_ += "{\n";
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const FieldDescriptor* field = descriptor->field(i);
      Indent(depth + 1);
      absl::StrAppend(&out_, Quote(field->name()), ": ");
      if (field->is_repeated()) {
        Array(message, field, depth + 1);
      } else {
        Value(message, field, -1, depth + 1);
      }
      out_ += i + 1 < descriptor->field_count() ? ",\n" : "\n";
    }
    Indent(depth);
    out_ += "}";
  }

  void Array(const Message& message, const FieldDescriptor* field, int depth) {
    int size = message.GetReflection()->FieldSize(message, field);
    if (size == 0) {
      out_ += "[]";
      return;
    }
    out_ += "[\n";
    for (int i = 0; i < size; ++i) {
      Indent(depth + 1);
      Value(message, field, i, depth + 1);
      out_ += i + 1 < size ? ",\n" : "\n";
    }
    Indent(depth);
    out_ += "]";
  }

  // One value of `field`; `index` -1 for a singular field.
  void Value(const Message& message, const FieldDescriptor* field, int index,
             int depth) {
    const Reflection* r = message.GetReflection();
    bool repeated = index >= 0;
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        Object(repeated ? r->GetRepeatedMessage(message, field, index)
                        : r->GetMessage(message, field),
               depth);
        return;
      case FieldDescriptor::CPPTYPE_BOOL:
        out_ += (repeated ? r->GetRepeatedBool(message, field, index)
                          : r->GetBool(message, field))
                    ? "true"
                    : "false";
        return;
      case FieldDescriptor::CPPTYPE_INT32:
        absl::StrAppend(&out_, repeated
                                   ? r->GetRepeatedInt32(message, field, index)
                                   : r->GetInt32(message, field));
        return;
      case FieldDescriptor::CPPTYPE_UINT32:
        absl::StrAppend(&out_, repeated
                                   ? r->GetRepeatedUInt32(message, field, index)
                                   : r->GetUInt32(message, field));
        return;
      case FieldDescriptor::CPPTYPE_ENUM:
        out_ +=
            Quote(repeated ? r->GetRepeatedEnum(message, field, index)->name()
                           : r->GetEnum(message, field)->name());
        return;
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string text = repeated
                               ? r->GetRepeatedString(message, field, index)
                               : r->GetString(message, field);
        if (field->name() == "auth_pass" && !text.empty()) text = "********";
        if (field->type() == FieldDescriptor::TYPE_BYTES) {
          // Addresses are kept as raw bytes; show them as people write them.
          std::optional<IpAddress> address = IpAddress::FromBytes(text);
          if (address) text = address->ToString();
        }
        out_ += Quote(text);
        return;
      }
      default:
        out_ += "null";
    }
  }

  std::string out_;
};

}  // namespace

std::string ConfigToJson(const config::Config& config) {
  return JsonWriter().Write(config);
}

}  // namespace vigil::conf
