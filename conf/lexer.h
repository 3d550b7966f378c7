#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "conf/location.h"

namespace vigil::conf {

struct Token {
  enum class Kind { kWord, kOpenBrace, kCloseBrace };
  Kind kind;
  std::string text;  // unquoted and unescaped
  bool quoted = false;
  Location location;
};

// Splits keepalived.conf text into words and braces. Comments start with '#'
// or '!' outside quotes; quotes are "..." or '...' with \n \t \\ \" \' \xHH.
// Problems (an unterminated quote, a bad escape) go to `diagnostics`.
std::vector<Token> Tokenize(absl::string_view text,
                            std::shared_ptr<const std::string> file,
                            Diagnostics& diagnostics);

}  // namespace vigil::conf
