#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"
#include "proto/proto_schema.h"

namespace vigil::proto_schema {

// How a message prints as JSON. The default is protobuf's JSON mapping as
// vigilctl --json has always printed it (field names as in the .proto, every
// scalar even when zero, 64-bit integers as strings, one space per level).
struct JsonStyle {
  int indent = 1;
  // Every field, an unset message as its defaults (vigild --dump-config).
  // Otherwise an unset message or oneof member is left out.
  bool every_field = false;
  bool quote_64bit = true;
  // The text of a string or bytes field, before quoting; by default strings
  // as they are and bytes in base64.
  std::function<std::string(const Field&, absl::string_view)> text;
};

// `encoded`, a serialized `type_name` message of vigil's schema, as JSON
// ending in a newline. Map entries are printed sorted by key.
absl::StatusOr<std::string> EncodedToJson(absl::string_view type_name,
                                          absl::string_view encoded,
                                          const JsonStyle& style);
// The same for a message in memory; never fails for vigil's own messages.
std::string ToJson(const google::protobuf::MessageLite& message,
                   const JsonStyle& style = {});

// `text` in double quotes, escaped for JSON.
std::string JsonQuote(absl::string_view text);

}  // namespace vigil::proto_schema
