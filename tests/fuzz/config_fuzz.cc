// libFuzzer target for the keepalived.conf parser: any text must give a
// config or diagnostics, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "conf/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::conf::LoadResult result = vigil::conf::ParseConfigText(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz.conf",
      "fuzz",
      /*allow_include=*/false);
  for (const auto& d : result.diagnostics.items()) (void)d.ToString();
  return 0;
}
