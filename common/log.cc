#include "common/log.h"

#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace vigil {
namespace {

struct LogState {
  std::string ident = "vigil";
  bool to_console = true;
  bool detailed = false;
  bool holding = false;
  std::vector<std::pair<LogLevel, std::string>> held;
};

LogState& State() {
  static LogState state;
  return state;
}

int SyslogPriority(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return LOG_ERR;
    case LogLevel::kWarning:
      return LOG_WARNING;
    case LogLevel::kInfo:
      return LOG_INFO;
    case LogLevel::kDebug:
      return LOG_DEBUG;
  }
  return LOG_INFO;
}

const char* LevelTag(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error: ";
    case LogLevel::kWarning:
      return "warning: ";
    default:
      return "";
  }
}

}  // namespace

void InitLog(const LogOptions& options) {
  LogState& state = State();
  state.ident = std::string(options.ident);
  state.to_console = options.to_console;
  state.detailed = options.detailed;
  if (!state.to_console) {
    // LOG_NDELAY connects now, so the socket survives a later chroot.
    openlog(state.ident.c_str(), LOG_PID | LOG_NDELAY, LOG_DAEMON);
  }
}

bool DetailedLogEnabled() { return State().detailed; }

namespace {

// Wall-clock milliseconds, so logs of two hosts in a lab can be merged.
std::string ConsoleLine(const LogState& state, LogLevel level,
                        absl::string_view message) {
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  tm local;
  localtime_r(&now.tv_sec, &local);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
  return absl::StrFormat("%s.%03d %s[%d]: %s%s\n", stamp, now.tv_nsec / 1000000,
                         state.ident, static_cast<int>(getpid()),
                         LevelTag(level), message);
}

void Write(const LogState& state, LogLevel level, absl::string_view text) {
  if (state.to_console) {
    std::fwrite(text.data(), 1, text.size(), stderr);
  } else {
    syslog(SyslogPriority(level), "%.*s", static_cast<int>(text.size()),
           text.data());
  }
}

}  // namespace

void LogLine(LogLevel level, absl::string_view message) {
  LogState& state = State();
  std::string text = state.to_console ? ConsoleLine(state, level, message)
                                      : std::string(message);
  if (state.holding) {
    state.held.emplace_back(level, std::move(text));
    return;
  }
  Write(state, level, text);
}

void HoldLogLines() { State().holding = true; }

void ReleaseLogLines() {
  LogState& state = State();
  state.holding = false;
  std::vector<std::pair<LogLevel, std::string>> lines;
  lines.swap(state.held);
  for (const auto& [level, text] : lines) Write(state, level, text);
}

}  // namespace vigil
