// libFuzzer target for the schema-driven JSON printer and wire decoder
// (proto/proto_json.cc): arbitrary bytes read as several of vigil's message
// types. Property: nothing crashes or overflows; what prints is one line
// or more ending in a newline, and bytes that fail to decode are an error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "proto/proto_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::proto_schema;
  absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  struct Case {
    const char* type;
    bool every_field;  // as vigild --dump-config prints a config
  };
  for (Case c :
       {Case{"vigil.control.Response", false}, Case{"vigil.ipc.Dump", false},
        Case{"vigil.config.Config", true}}) {
    JsonStyle style;
    style.every_field = c.every_field;
    absl::StatusOr<std::string> json = EncodedToJson(c.type, bytes, style);
    if (json.ok() && (json->empty() || json->back() != '\n')) std::abort();
  }
  return 0;
}
