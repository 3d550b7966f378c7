#include "ctl/status_table.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "proto/proto_json.h"

namespace vigil::ctl {
namespace {

// Columns as wide as their widest cell.
std::string Table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string Signed(int value) {
  return value > 0 ? absl::StrCat("+", value) : absl::StrCat(value);
}

}  // namespace

std::string FormatStatus(const control::Status& status) {
  std::vector<std::vector<std::string>> rows = {
      {"INSTANCE", "STATE", "PRIORITY", "VIPS", "INTERFACE", "VERSION",
       "MASTER", "IN STATE"}};
  std::string trackers;
  for (const auto& i : status.instances()) {
    std::string priority = i.effective_priority() == i.base_priority()
                               ? absl::StrCat(i.effective_priority())
                               : absl::StrCat(i.effective_priority(), " (base ",
                                              i.base_priority(), ")");
    if (i.demoted()) absl::StrAppend(&priority, " demoted");
    rows.push_back({i.name(), i.state(), priority, absl::StrJoin(i.vips(), ","),
                    i.interface(), absl::StrCat("v", i.version()),
                    i.master_address().empty() ? "-" : i.master_address(),
                    absl::StrFormat("%.1fs", i.seconds_in_state())});
  }
  std::string out = Table(rows);
  for (const auto& i : status.instances()) {
    for (const auto& t : i.trackers()) {
      absl::StrAppend(&out, "  ", i.name(), ": ", t.kind(), " ", t.name(), " ",
                      t.state(), " (", Signed(t.contribution()), ")",
                      t.fault() ? " FAULT" : "", "\n");
    }
  }
  return out;
}

std::string FormatStats(const control::Stats& stats) {
  std::vector<std::vector<std::string>> rows = {
      {"INSTANCE", "SENT", "RECEIVED", "PRIO0 SENT", "PRIO0 RECEIVED",
       "TRANSITIONS", "BECAME MASTER"}};
  for (const auto& i : stats.instances()) {
    rows.push_back({i.name(), absl::StrCat(i.adverts_sent()),
                    absl::StrCat(i.adverts_received()),
                    absl::StrCat(i.priority_zero_sent()),
                    absl::StrCat(i.priority_zero_received()),
                    absl::StrCat(i.transitions()),
                    absl::StrCat(i.became_master())});
  }
  std::string out = Table(rows) + "\nreceive drops:\n";
  std::map<std::string, uint64_t> drops(stats.drops().begin(),
                                        stats.drops().end());
  for (const auto& [reason, count] : drops)
    absl::StrAppend(&out, "  ", reason, ": ", count, "\n");
  absl::StrAppend(&out, "checksum forms seen:\n");
  std::map<std::string, uint64_t> forms(stats.checksum_forms().begin(),
                                        stats.checksum_forms().end());
  for (const auto& [form, count] : forms)
    absl::StrAppend(&out, "  ", form, ": ", count, "\n");
  absl::StrAppend(&out,
                  "address list mismatches: ", stats.address_list_mismatches(),
                  "\ninterval mismatches: ", stats.interval_mismatches(), "\n");
  return out;
}

std::string ToJson(const google::protobuf::MessageLite& message) {
  return proto_schema::ToJson(message);
}

std::string FormatTransition(const control::Transition& t) {
  return absl::StrCat("#", t.seq(), " ", t.instance(), " ", t.from(), " -> ",
                      t.to(), " priority ", t.priority(), " (", t.reason(),
                      ")\n");
}

}  // namespace vigil::ctl
