#include "common/log.h"

#include <pthread.h>
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
  int holding = 0;  // nested holds; the outermost release writes
  std::vector<std::pair<LogLevel, std::string>> held;
  // getpid is a system call, and a burst logs hundreds of lines. 0: not
  // known yet (a forked child clears it).
  int pid = 0;
  // The "HH:MM:SS" of the last line, reused within the same second.
  time_t stamp_second = -1;
  char stamp[16] = "";
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
  static const bool forget_pid_on_fork =
      pthread_atfork(nullptr, nullptr, [] { State().pid = 0; }) == 0;
  (void)forget_pid_on_fork;
  state.pid = 0;
  if (!state.to_console) {
    // LOG_NDELAY connects now, so the socket survives a later chroot.
    openlog(state.ident.c_str(), LOG_PID | LOG_NDELAY, LOG_DAEMON);
  }
}

bool DetailedLogEnabled() { return State().detailed; }

namespace {

// Wall-clock milliseconds, so logs of two hosts in a lab can be merged.
std::string ConsoleLine(LogState& state, LogLevel level,
                        absl::string_view message) {
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  if (now.tv_sec != state.stamp_second) {
    tm local;
    localtime_r(&now.tv_sec, &local);
    strftime(state.stamp, sizeof state.stamp, "%H:%M:%S", &local);
    state.stamp_second = now.tv_sec;
  }
  if (state.pid == 0) state.pid = static_cast<int>(getpid());
  return absl::StrFormat("%s.%03d %s[%d]: %s%s\n", state.stamp,
                         now.tv_nsec / 1000000, state.ident, state.pid,
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

void HoldLogLines() { ++State().holding; }

void ReleaseLogLines() {
  LogState& state = State();
  if (state.holding > 0 && --state.holding > 0) return;
  std::vector<std::pair<LogLevel, std::string>> lines;
  lines.swap(state.held);
  if (state.to_console) {  // one write for the lot
    std::string all;
    for (const auto& line : lines) all += line.second;
    if (!all.empty()) Write(state, LogLevel::kInfo, all);
    return;
  }
  for (const auto& [level, text] : lines) Write(state, level, text);
}

}  // namespace vigil
