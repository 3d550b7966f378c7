#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace vigil::conf {

// Where a token came from, for messages of the form file:line:column.
struct Location {
  std::shared_ptr<const std::string> file;
  int line = 0;
  int column = 0;

  std::string ToString() const {
    return absl::StrCat(file ? *file : "<config>", ":", line, ":", column);
  }
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity;
  Location location;
  std::string message;

  std::string ToString() const {
    return absl::StrCat(
        location.ToString(), ": ",
        severity == Severity::kError ? "error: " : "warning: ", message);
  }
};

// Collects every problem instead of stopping at the first, so `vigild -t`
// lists them all.
class Diagnostics {
 public:
  void Error(const Location& at, std::string message) {
    items_.push_back({Severity::kError, at, std::move(message)});
  }
  void Warning(const Location& at, std::string message) {
    items_.push_back({Severity::kWarning, at, std::move(message)});
  }
  bool HasErrors() const {
    for (const auto& d : items_)
      if (d.severity == Severity::kError) return true;
    return false;
  }
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace vigil::conf
