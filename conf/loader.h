#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "conf/location.h"
#include "proto/config.pb.h"

namespace vigil::conf {

struct LoadResult {
  config::Config config;
  Diagnostics diagnostics;
  bool ok() const { return !diagnostics.HasErrors(); }
};

// Parses keepalived.conf text; `file_name` appears in messages; `config_id`
// selects `@ID` lines (keepalived's -i, default: the short host name).
// `allow_include` false makes `include` an error (text from nowhere, e.g. a
// fuzzer, must not read the file system).
LoadResult ParseConfigText(absl::string_view text, const std::string& file_name,
                           const std::string& config_id = "",
                           bool allow_include = true);

// Reads and parses a file. A missing, unreadable or empty file is an error
// (keepalived's -t accepts both; vigil does not).
LoadResult LoadConfigFile(const std::string& path,
                          const std::string& config_id = "");

// The same config, its objects laid out afresh. Parsing leaves them strewn
// among the freed syntax tree's, which pins partly free heap pages for as
// long as the config lives (0.3 MB at 1,000 instances); a copy made once
// the parse's memory is free lies packed. Call it with nothing else of the
// parse alive (its diagnostics included).
config::Config Repacked(config::Config config);

// The short host name, keepalived's default config id.
std::string DefaultConfigId();

}  // namespace vigil::conf
