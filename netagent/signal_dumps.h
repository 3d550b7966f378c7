#pragma once

#include <string>

#include "absl/status/status.h"
#include "proto/ipc.pb.h"

namespace vigil::agent {

// keepalived's signal dumps, for the scripts that still read them: SIGUSR1
// writes /tmp/keepalived.data, SIGUSR2 /tmp/keepalived.stats and SIGRTMIN+2
// /tmp/keepalived.json. The names are keepalived's; the contents are
// vigil's: the tables `vigilctl status` and `vigilctl stats` print, and both
// as JSON (keepalived's own formats are not a stable interface either;
// vigilctl is the one to build on).
enum class DumpKind { kData, kStats, kJson };

const char* DumpPath(DumpKind kind);
std::string DumpText(DumpKind kind, const ipc::Dump& dump);

// Written beside the target and renamed over it, so a symlink planted at the
// name in /tmp is replaced, never followed (keepalived's CVE-2018-19044).
absl::Status WriteDumpFile(const std::string& path, const std::string& text);

}  // namespace vigil::agent
