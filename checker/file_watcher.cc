#include "checker/file_watcher.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "common/status_macros.h"

namespace vigil::checker {

absl::StatusOr<FileWatcher> FileWatcher::Open() {
  UniqueFd fd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(errno, "inotify");
  return FileWatcher(std::move(fd));
}

absl::Status FileWatcher::Watch(const std::string& name,
                                const std::string& path) {
  std::filesystem::path p(path);
  std::string directory = p.parent_path().string();
  int wd = inotify_add_watch(inotify_.get(), directory.c_str(),
                             IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE |
                                 IN_DELETE | IN_MOVED_FROM | IN_MODIFY);
  if (wd < 0) return ErrnoStatus(errno, "watching " + directory);
  by_watch_[wd].push_back({p.filename().string(), name});
  return absl::OkStatus();
}

std::vector<std::string> FileWatcher::Drain() {
  std::vector<std::string> changed;
  alignas(inotify_event) char buffer[8192];
  for (;;) {
    ssize_t n = read(inotify_.get(), buffer, sizeof(buffer));
    if (n <= 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      auto it = by_watch_.find(event->wd);
      if (it == by_watch_.end() || event->len == 0) continue;
      std::string file(event->name);
      for (const Entry& entry : it->second) {
        if (entry.file == file && std::find(changed.begin(), changed.end(),
                                            entry.name) == changed.end()) {
          changed.push_back(entry.name);
        }
      }
    }
  }
  return changed;
}

int64_t ReadTrackValue(const std::string& path) {
  std::ifstream in(path);
  std::string word;
  if (!(in >> word)) return 0;
  int64_t value = 0;
  if (!absl::SimpleAtoi(word, &value)) return 0;
  return std::clamp<int64_t>(value, -1'000'000, 1'000'000);
}

}  // namespace vigil::checker
