#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "common/unique_fd.h"

namespace vigil::checker {

// What a check script writes to stdout and stderr, read from a pipe: the
// first kKeep bytes are kept for the log, the rest is read and dropped, so a
// script that floods its output neither blocks on a full pipe nor makes the
// checker grow.
// Runs in: checker. Input: the script's output (anything, any amount).
class ScriptOutput {
 public:
  static constexpr size_t kKeep = 4096;
  // Read per call at most, so a flood cannot hold the event loop.
  static constexpr size_t kReadBudget = 1 << 20;

  // The pipe: this end (non-blocking, close-on-exec) and the script's end.
  static absl::StatusOr<std::pair<ScriptOutput, UniqueFd>> Open();

  int fd() const { return fd_.get(); }
  // Reads what is waiting, up to kReadBudget; false at end of file (or on a
  // read error), when the pipe can be closed.
  bool Drain();
  // The first line of the output, without control characters, for messages.
  std::string FirstLine() const;
  uint64_t total_bytes() const { return total_; }

 private:
  explicit ScriptOutput(UniqueFd fd) : fd_(std::move(fd)) {}

  UniqueFd fd_;
  std::string head_;
  uint64_t total_ = 0;
};

}  // namespace vigil::checker
