#include "common/log.h"

#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace vigil {
namespace {

struct LogState {
  std::string ident = "vigil";
  bool to_console = true;
  bool detailed = false;
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

void LogLine(LogLevel level, absl::string_view message) {
  const LogState& state = State();
  if (!state.to_console) {
    syslog(SyslogPriority(level), "%.*s", static_cast<int>(message.size()),
           message.data());
    return;
  }
  // Wall-clock milliseconds, so logs of two hosts in a lab can be merged.
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  tm local;
  localtime_r(&now.tv_sec, &local);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
  std::fprintf(stderr, "%s.%03ld %s[%d]: %s%.*s\n", stamp,
               now.tv_nsec / 1000000, state.ident.c_str(),
               static_cast<int>(getpid()), LevelTag(level),
               static_cast<int>(message.size()), message.data());
}

}  // namespace vigil
