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
  Location location;     // where the user wrote it
  int logical_line = 0;  // the line after preprocessing: statements end here
};

// Splits keepalived.conf text into words and braces. Comments start with '#'
// or '!' outside quotes; quotes are "..." or '...' with \n \t \\ \" \' \xHH.
// Problems (an unterminated quote, a bad escape) go to `diagnostics`.
// `source_lines[k]` is the file line that line k+1 of `text` came from (the
// preprocessor may add or blank lines); without it lines map one to one.
std::vector<Token> Tokenize(absl::string_view text,
                            std::shared_ptr<const std::string> file,
                            Diagnostics& diagnostics,
                            const std::vector<int>* source_lines = nullptr);

}  // namespace vigil::conf
