#include "conf/values.h"

#include <cctype>
#include <charconv>

namespace vigil::conf {

std::optional<int64_t> ParseInteger(absl::string_view text) {
  int64_t value;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return value;
}

std::optional<int64_t> ParseSeconds(absl::string_view text) {
  size_t dot = text.find('.');
  absl::string_view whole = text.substr(0, dot);
  absl::string_view fraction =
      dot == absl::string_view::npos ? "" : text.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return std::nullopt;
  if (fraction.size() > 6) return std::nullopt;
  for (char c : whole)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  for (char c : fraction)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  if (whole.size() > 9) return std::nullopt;
  int64_t us = 0;
  for (char c : whole) us = us * 10 + (c - '0');
  us *= 1'000'000;
  int64_t scale = 100'000;
  for (char c : fraction) {
    us += (c - '0') * scale;
    scale /= 10;
  }
  return us;
}

std::optional<bool> ParseBool(absl::string_view text) {
  if (text == "on" || text == "true" || text == "yes") return true;
  if (text == "off" || text == "false" || text == "no") return false;
  return std::nullopt;
}

std::vector<std::string> SplitCommand(absl::string_view command) {
  std::vector<std::string> argv;
  std::string current;
  bool in_word = false;
  char quote = 0;
  for (char c : command) {
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        current.push_back(c);
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) argv.push_back(std::move(current));
      current.clear();
      in_word = false;
    } else {
      current.push_back(c);
      in_word = true;
    }
  }
  if (in_word) argv.push_back(std::move(current));
  return argv;
}

}  // namespace vigil::conf
