#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace vigil::conf {

// Value syntaxes of keepalived.conf.
std::optional<int64_t> ParseInteger(absl::string_view text);
// Decimal seconds ("1", "0.5", "2.25") to microseconds; at most 6 decimals.
std::optional<int64_t> ParseSeconds(absl::string_view text);
// "on off true false yes no".
std::optional<bool> ParseBool(absl::string_view text);
// Splits a script command on unquoted blanks, as keepalived does.
std::vector<std::string> SplitCommand(absl::string_view command);

}  // namespace vigil::conf
