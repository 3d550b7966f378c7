#include "netagent/signal_dumps.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/status_macros.h"
#include "common/unique_fd.h"
#include "ctl/status_table.h"

namespace vigil::agent {

const char* DumpPath(DumpKind kind) {
  switch (kind) {
    case DumpKind::kData:
      return "/tmp/keepalived.data";
    case DumpKind::kStats:
      return "/tmp/keepalived.stats";
    case DumpKind::kJson:
      return "/tmp/keepalived.json";
  }
  return "";
}

std::string DumpText(DumpKind kind, const ipc::Dump& dump) {
  switch (kind) {
    case DumpKind::kData:
      return ctl::FormatStatus(dump.status());
    case DumpKind::kStats:
      return ctl::FormatStats(dump.stats());
    case DumpKind::kJson:
      return ctl::ToJson(dump);
  }
  return "";
}

absl::Status WriteDumpFile(const std::string& path, const std::string& text) {
  std::string temporary = path + ".XXXXXX";
  UniqueFd fd(mkostemp(temporary.data(), O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(errno, "creating " + temporary);
  bool written = fchmod(fd.get(), 0644) == 0 &&
                 write(fd.get(), text.data(), text.size()) ==
                     static_cast<ssize_t>(text.size());
  if (!written || rename(temporary.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(temporary.c_str());
    return ErrnoStatus(err, "writing " + path);
  }
  return absl::OkStatus();
}

}  // namespace vigil::agent
