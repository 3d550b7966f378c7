#include "conf/parameters.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace vigil::conf {
namespace {

constexpr int kMaxDepth = 16;              // $A=$B, $B=$A must end
constexpr size_t kMaxGenerated = 100'000;  // keepalived's example makes 65,024

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

Parameters::Output Parameters::Preprocess(
    absl::string_view text, const std::shared_ptr<const std::string>& file,
    Diagnostics& diagnostics) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  current_dir_ =
      file ? std::filesystem::path(*file).parent_path().string() : "";
  Output out;
  for (size_t i = 0; i < lines.size(); ++i) {
    int number = static_cast<int>(i) + 1;
    Location at{file, number, 1};
    std::optional<size_t> prefix = Conditional(lines[i]);
    if (!prefix) continue;
    // Blank the @ID prefix rather than cut it, so columns stay true.
    std::string line =
        std::string(*prefix, ' ') + std::string(lines[i].substr(*prefix));
    std::string name, value;
    if (ParseDefinition(line, &name, &value)) {
      // A trailing backslash continues the value on the next line.
      while (!value.empty() && value.back() == '\\' && i + 1 < lines.size()) {
        value.pop_back();
        absl::StrAppend(&value, "\n", absl::StripAsciiWhitespace(lines[++i]));
      }
      values_[name] = value;
      continue;
    }
    if (!Generate(line, number, at, out, diagnostics))
      Emit(line, number, at, out, diagnostics);
  }
  return out;
}

// Expands one line; a multi-line parameter value yields several lines, all
// attributed to this source line.
void Parameters::Emit(absl::string_view line, int number, const Location& at,
                      Output& out, Diagnostics& diagnostics) {
  bool too_deep = false;
  std::string expanded = Expand(line, 0, too_deep);
  if (too_deep)
    diagnostics.Error(at, "parameters expand into each other without end");
  for (absl::string_view piece : absl::StrSplit(expanded, '\n')) {
    absl::StrAppend(&out.text, piece, "\n");
    out.source_lines.push_back(number);
  }
}

namespace {

// Splits on commas outside {braces}, trimming blanks: "{a,b}, {1,2}" gives
// "{a,b}" and "{1,2}".
std::vector<std::string> SplitArguments(absl::string_view text) {
  std::vector<std::string> out(1);
  int depth = 0;
  for (char c : text) {
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == ',' && depth == 0) {
      out.emplace_back();
      continue;
    }
    out.back() += c;
  }
  for (std::string& a : out) a = std::string(absl::StripAsciiWhitespace(a));
  return out;
}

// "{a, b}" gives a and b; a bare word gives itself.
std::vector<std::string> Tuple(const std::string& text) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}')
    return {text};
  return SplitArguments(absl::string_view(text).substr(1, text.size() - 2));
}

}  // namespace

// ~SEQ(VAR, START, STEP, END), ~SEQx (the same in hex), ~LST(VAR, V1, ...)
// and ~LST({VAR1, VAR2}, {V1, V2}, ...) unroll the rest of the line once per
// value (or tuple of values) with the variables set.
bool Parameters::Generate(absl::string_view line, int number,
                          const Location& at, Output& out,
                          Diagnostics& diagnostics) {
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(line);
  bool hex = absl::StartsWith(rest, "~SEQx(");
  bool seq = hex || absl::StartsWith(rest, "~SEQ(");
  if (!seq && !absl::StartsWith(rest, "~LST(")) return false;
  size_t open = rest.find('(');
  size_t close = rest.find(')');
  if (close == absl::string_view::npos) {
    diagnostics.Error(at, "generator without a closing ')'");
    return true;
  }
  std::vector<std::string> args =
      SplitArguments(rest.substr(open + 1, close - open - 1));
  absl::string_view body = rest.substr(close + 1);
  std::vector<std::string> names = Tuple(args[0]);
  std::vector<std::vector<std::string>> rows;
  if (seq) {
    int64_t start = 0, step = 0, end = 0;
    bool ok = args.size() == 4 && names.size() == 1 &&
              absl::SimpleAtoi(args[1], &start) &&
              absl::SimpleAtoi(args[2], &step) &&
              absl::SimpleAtoi(args[3], &end) && step != 0;
    if (!ok) {
      diagnostics.Error(
          at, "~SEQ needs (VAR, START, STEP, END) with a non-zero STEP");
      return true;
    }
    for (int64_t v = start; step > 0 ? v <= end : v >= end; v += step) {
      if (rows.size() >= kMaxGenerated) break;
      rows.push_back({hex ? absl::StrCat(absl::Hex(v)) : absl::StrCat(v)});
    }
  } else {
    if (args.size() < 2) {
      diagnostics.Error(at, "~LST needs (VAR, VALUE...)");
      return true;
    }
    for (size_t i = 1; i < args.size(); ++i) {
      rows.push_back(names.size() == 1 ? std::vector<std::string>{args[i]}
                                       : Tuple(args[i]));
      if (rows.back().size() != names.size()) {
        diagnostics.Error(at, absl::StrCat("~LST value ", args[i], " has ",
                                           rows.back().size(), " fields for ",
                                           names.size(), " variables"));
        return true;
      }
    }
  }
  for (const std::string& name : names) {
    if (name.empty() || !IsNameStart(name[0])) {
      diagnostics.Error(at, "a generator needs variable names first");
      return true;
    }
  }
  if (rows.size() >= kMaxGenerated) {
    diagnostics.Error(at, absl::StrCat("a generator makes at most ",
                                       kMaxGenerated, " lines"));
  }
  // The variables are visible in the generated lines only.
  std::map<std::string, std::optional<std::string>> saved;
  for (const std::string& name : names) {
    auto it = values_.find(name);
    saved[name] = it == values_.end() ? std::nullopt
                                      : std::optional<std::string>(it->second);
  }
  for (const std::vector<std::string>& row : rows) {
    for (size_t i = 0; i < names.size(); ++i) values_[names[i]] = row[i];
    Emit(body, number, at, out, diagnostics);
  }
  for (const auto& [name, value] : saved) {
    if (value) {
      values_[name] = *value;
    } else {
      values_.erase(name);
    }
  }
  return true;
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

// keepalived's predefined parameters: ${_PWD} (the current file's
// directory), ${_ENV NAME}, ${_RANDOM [MIN [MAX]]} (default 0 to 32767).
// Anything else is not ours and stays as written.
std::optional<std::string> Parameters::Predefined(
    absl::string_view inside) const {
  std::vector<absl::string_view> words =
      absl::StrSplit(inside, ' ', absl::SkipEmpty());
  if (words.empty()) return std::nullopt;
  if (words[0] == "_PWD" && words.size() == 1) return current_dir_;
  if (words[0] == "_ENV" && words.size() == 2) {
    const char* value = std::getenv(std::string(words[1]).c_str());
    return std::string(value == nullptr ? "" : value);
  }
  if (words[0] == "_RANDOM" && words.size() <= 3) {
    int64_t low = 0, high = 32767;
    if (words.size() >= 2 && !absl::SimpleAtoi(words[1], &low))
      return std::nullopt;
    if (words.size() == 3 && !absl::SimpleAtoi(words[2], &high))
      return std::nullopt;
    if (high < low) return std::nullopt;
    std::uniform_int_distribution<int64_t> pick(low, high);
    return absl::StrCat(pick(random_));
  }
  return std::nullopt;
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
    if (braced && i + 2 < line.size() && line[i + 2] == '_') {
      size_t close = line.find('}', i + 2);
      if (std::optional<std::string> value =
              close == absl::string_view::npos
                  ? std::nullopt
                  : Predefined(line.substr(i + 2, close - i - 2))) {
        out += *value;
        i = close + 1;
        continue;
      }
    }
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
