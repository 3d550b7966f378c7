#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/unique_fd.h"

namespace vigil::checker {

// track_file: watches files with inotify, through their directories, so a
// file that is created, replaced (rename over it) or removed is noticed too.
// Runs in: checker (the script user). Input: file contents (parsed by
// ReadTrackValue).
class FileWatcher {
 public:
  static absl::StatusOr<FileWatcher> Open();
  int fd() const { return inotify_.get(); }

  // Starts watching `path` for the tracker `name`.
  absl::Status Watch(const std::string& name, const std::string& path);
  // Reads pending events; returns the trackers whose file may have changed.
  std::vector<std::string> Drain();

 private:
  explicit FileWatcher(UniqueFd inotify) : inotify_(std::move(inotify)) {}
  struct Entry {
    std::string file;  // base name in the directory
    std::string name;  // the tracker
  };
  UniqueFd inotify_;
  std::map<int, std::vector<Entry>> by_watch_;  // directory watch -> files
};

// The integer at the start of the file; 0 when it is missing, empty or not
// a number (keepalived reads it the same way), clamped to +-1,000,000.
int64_t ReadTrackValue(const std::string& path);

}  // namespace vigil::checker
