#include "checker/script_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/status_macros.h"

namespace vigil::checker {

absl::StatusOr<std::pair<ScriptOutput, UniqueFd>> ScriptOutput::Open() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoStatus(errno, "pipe2");
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);
  if (fcntl(read_end.get(), F_SETFL, O_NONBLOCK) != 0)
    return ErrnoStatus(errno, "fcntl(O_NONBLOCK)");
  return std::make_pair(ScriptOutput(std::move(read_end)),
                        std::move(write_end));
}

bool ScriptOutput::Drain() {
  char buffer[65536];
  size_t budget = kReadBudget;
  while (budget > 0) {
    ssize_t n = read(fd_.get(), buffer, std::min(sizeof buffer, budget));
    if (n > 0) {
      size_t room = kKeep - head_.size();
      head_.append(buffer, std::min(static_cast<size_t>(n), room));
      total_ += static_cast<uint64_t>(n);
      budget -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;  // EOF or error: done
  }
  return true;
}

std::string ScriptOutput::FirstLine() const {
  std::string line = head_.substr(0, head_.find('\n'));
  std::replace_if(
      line.begin(), line.end(),
      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; },
      '?');
  return line;
}

}  // namespace vigil::checker
