#include "proto/proto_json.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "proto/wire_fields.h"

namespace vigil::proto_schema {
namespace {

using Kind = WireValue::Kind;

// How a packed list of this type splits into elements.
std::optional<Kind> PackedElement(FieldType type) {
  switch (type) {
    case FieldType::kString:
    case FieldType::kBytes:
    case FieldType::kMessage:
    case FieldType::kGroup:
      return std::nullopt;
    case FieldType::kDouble:
    case FieldType::kFixed64:
    case FieldType::kSfixed64:
      return Kind::kFixed64;
    case FieldType::kFloat:
    case FieldType::kFixed32:
    case FieldType::kSfixed32:
      return Kind::kFixed32;
    default:
      return Kind::kVarint;
  }
}

template <typename T>
std::string Shortest(T value) {
  if (std::isnan(value)) return "\"NaN\"";
  if (std::isinf(value)) return value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

int64_t ZigZag(uint64_t n) {
  return static_cast<int64_t>(n >> 1) ^ -static_cast<int64_t>(n & 1);
}

class JsonWriter {
 public:
  JsonWriter(const Schema& schema, const JsonStyle& style)
      : schema_(schema), style_(style) {}

  absl::Status Object(const Message& type, absl::string_view encoded,
                      int depth) {
    if (depth > kMaxDepth) return absl::InvalidArgumentError("nested too deep");
    absl::StatusOr<WireFields> fields = DecodeFields(encoded);
    if (!fields.ok()) return fields.status();
    bool first = true;
    for (const Field& field : type.fields) {
      auto found = fields->find(field.number);
      bool present = found != fields->end();
      if (!present && field.has_presence && !style_.every_field) continue;
      out_ += first ? "{\n" : ",\n";
      first = false;
      Indent(depth + 1);
      absl::StrAppend(&out_, JsonQuote(field.name), ": ");
      static const std::vector<WireValue> kNone;
      const std::vector<WireValue>& values = present ? found->second : kNone;
      absl::Status status = field.repeated ? Repeated(field, values, depth + 1)
                                           : Single(field, values, depth + 1);
      if (!status.ok()) return status;
    }
    if (first) {
      out_ += "{}";
      return absl::OkStatus();
    }
    out_ += "\n";
    Indent(depth);
    out_ += "}";
    return absl::OkStatus();
  }

  std::string Take() { return std::move(out_); }

 private:
  static constexpr int kMaxDepth = 32;

  void Indent(int depth) {
    out_.append(static_cast<size_t>(depth * style_.indent), ' ');
  }

  // A singular field: its last value counts, as when protobuf parses it.
  absl::Status Single(const Field& field, const std::vector<WireValue>& values,
                      int depth) {
    WireValue value{.kind = field.type == FieldType::kMessage ||
                                    field.type == FieldType::kString ||
                                    field.type == FieldType::kBytes
                                ? Kind::kLengthDelimited
                                : Kind::kVarint,
                    .number = 0,
                    .bytes = {}};
    if (!values.empty()) value = values.back();
    return Value(field, value, depth);
  }

  absl::Status Repeated(const Field& field,
                        const std::vector<WireValue>& values, int depth) {
    const Message* entry = field.type == FieldType::kMessage
                               ? schema_.FindMessage(field.type_name)
                               : nullptr;
    if (entry != nullptr && entry->map_entry) return Map(*entry, values, depth);
    std::vector<WireValue> elements;
    std::optional<Kind> packed = PackedElement(field.type);
    for (const WireValue& value : values) {
      if (packed && value.kind == Kind::kLengthDelimited) {
        absl::StatusOr<std::vector<WireValue>> list =
            UnpackList(value.bytes, *packed);
        if (!list.ok()) return list.status();
        elements.insert(elements.end(), list->begin(), list->end());
      } else {
        elements.push_back(value);
      }
    }
    if (elements.empty()) {
      out_ += "[]";
      return absl::OkStatus();
    }
    out_ += "[\n";
    for (size_t i = 0; i < elements.size(); ++i) {
      Indent(depth + 1);
      absl::Status status = Value(field, elements[i], depth + 1);
      if (!status.ok()) return status;
      out_ += i + 1 < elements.size() ? ",\n" : "\n";
    }
    Indent(depth);
    out_ += "]";
    return absl::OkStatus();
  }

  // map<K, V>: an object, keys sorted (the wire order is a hash order).
  absl::Status Map(const Message& entry, const std::vector<WireValue>& values,
                   int depth) {
    const Field* key = entry.Find("key");
    const Field* value = entry.Find("value");
    if (key == nullptr || value == nullptr)
      return absl::InvalidArgumentError(entry.full_name + ": not a map entry");
    std::map<std::string, std::string> items;
    for (const WireValue& item : values) {
      absl::StatusOr<WireFields> fields = DecodeFields(item.bytes);
      if (!fields.ok()) return fields.status();
      JsonWriter key_writer(schema_, style_), value_writer(schema_, style_);
      absl::Status status =
          key_writer.Single(*key, (*fields)[key->number], depth + 1);
      if (status.ok())
        status =
            value_writer.Single(*value, (*fields)[value->number], depth + 1);
      if (!status.ok()) return status;
      std::string text = key_writer.Take();
      if (text.empty() || text.front() != '"') text = JsonQuote(text);
      items.insert_or_assign(std::move(text), value_writer.Take());
    }
    if (items.empty()) {
      out_ += "{}";
      return absl::OkStatus();
    }
    out_ += "{\n";
    size_t left = items.size();
    for (const auto& [name, text] : items) {
      Indent(depth + 1);
      absl::StrAppend(&out_, name, ": ", text, --left > 0 ? ",\n" : "\n");
    }
    Indent(depth);
    out_ += "}";
    return absl::OkStatus();
  }

  absl::Status Value(const Field& field, const WireValue& value, int depth) {
    bool delimited = value.kind == Kind::kLengthDelimited;
    switch (field.type) {
      case FieldType::kMessage: {
        const Message* type = schema_.FindMessage(field.type_name);
        if (type == nullptr || !delimited)
          return absl::InvalidArgumentError(
              absl::StrCat(field.name, ": not a ", field.type_name));
        return Object(*type, value.bytes, depth);
      }
      case FieldType::kString:
      case FieldType::kBytes:
        if (!delimited)
          return absl::InvalidArgumentError(field.name + ": not a string");
        out_ += JsonQuote(Text(field, value.bytes));
        return absl::OkStatus();
      case FieldType::kGroup:
        return absl::InvalidArgumentError(field.name + ": groups unsupported");
      default:
        if (delimited)
          return absl::InvalidArgumentError(field.name + ": not a number");
        out_ += Number(field, value.number);
        return absl::OkStatus();
    }
  }

  std::string Text(const Field& field, absl::string_view bytes) const {
    if (style_.text) return style_.text(field, bytes);
    if (field.type == FieldType::kBytes) return absl::Base64Escape(bytes);
    return std::string(bytes);
  }

  std::string Wide(std::string text) const {
    return style_.quote_64bit ? absl::StrCat("\"", text, "\"") : text;
  }

  std::string Number(const Field& field, uint64_t n) const {
    switch (field.type) {
      case FieldType::kDouble:
        return Shortest(std::bit_cast<double>(n));
      case FieldType::kFloat:
        return Shortest(std::bit_cast<float>(static_cast<uint32_t>(n)));
      case FieldType::kInt64:
      case FieldType::kSfixed64:
        return Wide(absl::StrCat(static_cast<int64_t>(n)));
      case FieldType::kUint64:
      case FieldType::kFixed64:
        return Wide(absl::StrCat(n));
      case FieldType::kSint64:
        return Wide(absl::StrCat(ZigZag(n)));
      case FieldType::kSint32:
        return absl::StrCat(static_cast<int32_t>(ZigZag(n)));
      case FieldType::kUint32:
      case FieldType::kFixed32:
        return absl::StrCat(static_cast<uint32_t>(n));
      case FieldType::kBool:
        return n != 0 ? "true" : "false";
      case FieldType::kEnum: {
        auto number = static_cast<int32_t>(n);
        absl::string_view name = schema_.EnumValueName(field.type_name, number);
        return name.empty() ? absl::StrCat(number) : JsonQuote(name);
      }
      default:  // int32, sfixed32
        return absl::StrCat(static_cast<int32_t>(n));
    }
  }

  const Schema& schema_;
  const JsonStyle& style_;
  std::string out_;
};

}  // namespace

std::string JsonQuote(absl::string_view text) {
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

absl::StatusOr<std::string> EncodedToJson(absl::string_view type_name,
                                          absl::string_view encoded,
                                          const JsonStyle& style) {
  const Schema& schema = Schema::Vigil();
  const Message* type = schema.FindMessage(type_name);
  if (type == nullptr)
    return absl::NotFoundError(absl::StrCat("no message ", type_name));
  JsonWriter writer(schema, style);
  absl::Status status = writer.Object(*type, encoded, 0);
  if (!status.ok()) return status;
  return writer.Take() + "\n";
}

std::string ToJson(const google::protobuf::MessageLite& message,
                   const JsonStyle& style) {
  absl::StatusOr<std::string> json =
      EncodedToJson(message.GetTypeName(), message.SerializeAsString(), style);
  return json.ok()
             ? *json
             : absl::StrCat("{\"error\": ", JsonQuote(json.status().message()),
                            "}\n");
}

}  // namespace vigil::proto_schema
