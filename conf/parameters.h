#pragma once

#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "conf/location.h"

namespace vigil::conf {

// keepalived's parameters: a line `$NAME=value` defines NAME (a value ending
// in `\` continues on the next line); `$NAME` and `${NAME}` elsewhere expand,
// recursively, when NAME is defined, and stay as written when it is not.
// Definitions carry on into included files, in reading order.
class Parameters {
 public:
  // Returns `text` with definition lines blanked (so line numbers stay true)
  // and every use expanded.
  std::string Preprocess(absl::string_view text,
                         const std::shared_ptr<const std::string>& file,
                         Diagnostics& diagnostics);

 private:
  std::string Expand(absl::string_view line, int depth, bool& too_deep) const;

  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace vigil::conf
