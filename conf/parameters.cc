#include "conf/parameters.h"

#include <cctype>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace vigil::conf {
namespace {

constexpr int kMaxDepth = 16;  // $A=$B, $B=$A must end

bool IsNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// "$NAME=value" at the start of a line (after blanks): the name and the value.
bool ParseDefinition(absl::string_view line, std::string* name,
                     std::string* value) {
  line = absl::StripLeadingAsciiWhitespace(line);
  if (line.size() < 3 || line[0] != '$' || !IsNameStart(line[1])) return false;
  size_t end = 1;
  while (end < line.size() && IsNameChar(line[end])) ++end;
  size_t eq = end;
  while (eq < line.size() && (line[eq] == ' ' || line[eq] == '\t')) ++eq;
  if (eq >= line.size() || line[eq] != '=') return false;
  *name = std::string(line.substr(1, end - 1));
  *value = std::string(absl::StripAsciiWhitespace(line.substr(eq + 1)));
  return true;
}

}  // namespace

std::string Parameters::Preprocess(
    absl::string_view text, const std::shared_ptr<const std::string>& file,
    Diagnostics& diagnostics) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::optional<size_t> prefix = Conditional(lines[i]);
    if (!prefix) {
      if (i + 1 < lines.size()) out += '\n';
      continue;
    }
    // Blank the @ID prefix rather than cut it, so columns stay true.
    std::string line =
        std::string(*prefix, ' ') + std::string(lines[i].substr(*prefix));
    std::string name, value;
    if (ParseDefinition(line, &name, &value)) {
      // A trailing backslash continues the value on the next line.
      while (!value.empty() && value.back() == '\\' && i + 1 < lines.size()) {
        value.pop_back();
        absl::StrAppend(&value, "\n", absl::StripAsciiWhitespace(lines[++i]));
        out += '\n';
      }
      values_[name] = value;
      if (i + 1 < lines.size()) out += '\n';
      continue;
    }
    bool too_deep = false;
    out += Expand(line, 0, too_deep);
    if (too_deep) {
      diagnostics.Error({file, static_cast<int>(i) + 1, 1},
                        "parameters expand into each other without end");
    }
    if (i + 1 < lines.size()) out += '\n';
  }
  return out;
}

std::optional<size_t> Parameters::Conditional(absl::string_view line) const {
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(line);
  if (rest.empty() || rest[0] != '@') return 0;
  bool negated = rest.size() > 1 && rest[1] == '^';
  size_t start = negated ? 2 : 1;
  size_t end = start;
  while (end < rest.size() &&
         !std::isspace(static_cast<unsigned char>(rest[end])))
    ++end;
  bool ours = rest.substr(start, end - start) == config_id_;
  if (ours == negated) return std::nullopt;
  return std::min(line.size(),
                  static_cast<size_t>(rest.data() - line.data()) + end);
}

std::string Parameters::Expand(absl::string_view line, int depth,
                               bool& too_deep) const {
  if (depth > kMaxDepth) {
    too_deep = true;
    return std::string(line);
  }
  std::string out;
  for (size_t i = 0; i < line.size();) {
    if (line[i] != '$' || i + 1 >= line.size()) {
      out += line[i++];
      continue;
    }
    bool braced = line[i + 1] == '{';
    size_t start = i + (braced ? 2 : 1);
    size_t end = start;
    while (end < line.size() && IsNameChar(line[end])) ++end;
    bool closed = !braced || (end < line.size() && line[end] == '}');
    auto it = values_.find(line.substr(start, end - start));
    if (end == start || !closed || it == values_.end()) {
      out += line[i++];  // not a defined parameter: keep it as written
      continue;
    }
    out += Expand(it->second, depth + 1, too_deep);
    i = end + (braced ? 1 : 0);
  }
  return out;
}

}  // namespace vigil::conf
