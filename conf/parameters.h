#pragma once

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "conf/location.h"

namespace vigil::conf {

// keepalived's parameters: a line `$NAME=value` defines NAME (a value ending
// in `\` continues on the next line); `$NAME` and `${NAME}` elsewhere expand,
// recursively, when NAME is defined, and stay as written when it is not.
// Definitions carry on into included files, in reading order. Lines may start
// with a conditional `@ID` or `@^ID`.
class Parameters {
 public:
  // `@ID line` keeps the line only when ID is this config id, `@^ID line`
  // only when it is not (one file for every node of a cluster).
  explicit Parameters(std::string config_id = "")
      : config_id_(std::move(config_id)) {}

  struct Output {
    std::string text;
    std::vector<int> source_lines;  // file line of each line of `text`
  };

  // Returns `text` with definition lines blanked, every use expanded, and
  // `~SEQ(VAR, START, STEP, END) line` / `~LST(VAR, V1, V2, ...) line`
  // generators unrolled into one line per value with $VAR set.
  Output Preprocess(absl::string_view text,
                    const std::shared_ptr<const std::string>& file,
                    Diagnostics& diagnostics);

 private:
  std::string Expand(absl::string_view line, int depth, bool& too_deep) const;
  std::optional<std::string> Predefined(absl::string_view inside) const;
  // Unrolls a ~SEQ/~LST line into `out`; false when the line is not one.
  bool Generate(absl::string_view line, int number, const Location& at,
                Output& out, Diagnostics& diagnostics);
  void Emit(absl::string_view line, int number, const Location& at, Output& out,
            Diagnostics& diagnostics);

  // The length of the line's @ID prefix (0 without one), or nullopt when the
  // line is not for us.
  std::optional<size_t> Conditional(absl::string_view line) const;

  std::string config_id_;
  std::map<std::string, std::string, std::less<>> values_;
  std::string current_dir_;                                 // ${_PWD}
  mutable std::mt19937_64 random_{std::random_device{}()};  // ${_RANDOM}
};

}  // namespace vigil::conf
