#pragma once

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace vigil {

enum class LogLevel { kError, kWarning, kInfo, kDebug };

struct LogOptions {
  absl::string_view ident;  // syslog identifier and console prefix
  bool to_console = false;  // -l: stderr instead of syslog
  bool detailed = false;    // -D: debug messages too
};

// Opens the log once per process; later calls change the options.
void InitLog(const LogOptions& options);
bool DetailedLogEnabled();
void LogLine(LogLevel level, absl::string_view message);

template <typename... Args>
void Log(LogLevel level, const absl::FormatSpec<Args...>& format,
         const Args&... args) {
  if (level == LogLevel::kDebug && !DetailedLogEnabled()) return;
  LogLine(level, absl::StrFormat(format, args...));
}

// Between HoldLogLines and ReleaseLogLines, lines are formatted (console
// lines with their time) and kept; the release writes them. A write to
// syslog or a terminal costs 5-20 µs: a brain taking over 255 instances
// would hold its last adverts back by milliseconds for its log lines.
// Holds nest: only the outermost release writes.
void HoldLogLines();
void ReleaseLogLines();

// Holds the lines logged in a scope, e.g. one event's: the agent taking over
// 255 instances logs two lines each, and wrote each with its own system call.
class ScopedLogHold {
 public:
  ScopedLogHold() { HoldLogLines(); }
  ~ScopedLogHold() { ReleaseLogLines(); }
  ScopedLogHold(const ScopedLogHold&) = delete;
  ScopedLogHold& operator=(const ScopedLogHold&) = delete;
};

#define LOG_ERROR(...) ::vigil::Log(::vigil::LogLevel::kError, __VA_ARGS__)
#define LOG_WARNING(...) ::vigil::Log(::vigil::LogLevel::kWarning, __VA_ARGS__)
#define LOG_INFO(...) ::vigil::Log(::vigil::LogLevel::kInfo, __VA_ARGS__)
#define LOG_DEBUG(...) ::vigil::Log(::vigil::LogLevel::kDebug, __VA_ARGS__)

}  // namespace vigil
